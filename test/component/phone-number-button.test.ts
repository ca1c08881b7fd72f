/**
 * @jest-environment jsdom
 *
 * The shipped phone-number-button (built files in miniprogram_dist), rendered
 * with miniprogram-simulate against the WeChat model (phone-number-button.suite.ts).
 */
import path from 'node:path'
import { phoneNumberButtonSuite } from './phone-number-button.suite'

phoneNumberButtonSuite(path.join(__dirname, '../../miniprogram_dist'))

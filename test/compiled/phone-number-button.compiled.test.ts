/**
 * @jest-environment jsdom
 *
 * The phone-number-button (phone-number-button.suite.ts) as WeChat's compiler ships it: the package
 * compiled ES6→ES5 and minified inside a mini program, rendered with miniprogram-simulate.
 */
import { join } from 'node:path'
import { compiledPackage, PACKAGE_DIR } from '../../scripts/compiled-package'
import { phoneNumberButtonSuite } from '../component/phone-number-button.suite'

phoneNumberButtonSuite(join(compiledPackage(), PACKAGE_DIR))

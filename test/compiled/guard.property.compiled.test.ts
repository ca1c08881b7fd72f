/**
 * The guard's guarantees (test/support/guard-properties.ts) against the package as WeChat's compiler
 * ships it: compiled ES6→ES5 and minified inside a mini program, loaded with its babel helpers.
 */
import { join } from 'node:path'
import { compiledPackage, PACKAGE_DIR } from '../../scripts/compiled-package'
import type { CreateGuard } from '../../simulator/scenarios/scenario'
import { guardProperties } from '../support/guard-properties'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSessionGuard } = require(join(compiledPackage(), PACKAGE_DIR)) as { createSessionGuard: CreateGuard }

guardProperties(createSessionGuard)

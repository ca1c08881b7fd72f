/**
 * The guard's guarantees (test/support/guard-properties.ts) against the package as WeChat's compiler
 * ships it: compiled ES6→ES5 and minified inside a mini program, loaded with its babel helpers.
 */
import { join } from 'node:path'
import { compiledPackage, PACKAGE_DIR } from '../../scripts/compiled-package'
import type { CreateGuard } from '../../simulator/scenarios/scenario'
import { ALL_PROFILES } from '../../simulator/model/platforms'
import { guardProperties } from '../support/guard-properties'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSessionGuard } = require(join(compiledPackage(), PACKAGE_DIR)) as { createSessionGuard: CreateGuard }

// The interleavings are the source's to explore (test/guard*.property.test.ts, 400 runs on WeChat's
// profile): here the question is whether WeChat's compiler kept the same code, which a wrong transform
// fails on nearly every run, so a quarter of the runs asks it as well.
const RUNS = Number(process.env.PROPERTY_RUNS || 100)

// WeChat's profile with those runs; the other platforms' with fewer each, as for the source.
describe.each(ALL_PROFILES.map((profile) => [profile.name, profile] as const))('on %s', (name, profile) => {
  guardProperties(createSessionGuard, name === 'weixin' ? RUNS : Math.max(1, Math.ceil(RUNS / 8)), profile)
})

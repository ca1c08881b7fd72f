/**
 * The guard's guarantee 5 (test/support/guard-properties.ts) against the source, on every platform's
 * profile: recovery from a missing or stale server key, and the re-tap after `retry`. The other
 * guarantees: test/guard.property.test.ts.
 */
import { createSessionGuard } from '../miniprogram_npm_src'
import { ALL_PROFILES } from '../simulator/model/platforms'
import { guardProperties } from './support/guard-properties'

const RUNS = Number(process.env.PROPERTY_RUNS || 400)

describe.each(ALL_PROFILES.map((profile) => [profile.name, profile] as const))('on %s', (name, profile) => {
  guardProperties(createSessionGuard, name === 'weixin' ? RUNS : Math.max(1, Math.ceil(RUNS / 8)), profile, 'recovery')
})

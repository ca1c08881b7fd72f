/**
 * The guard's guarantees (test/support/guard-properties.ts) against the source, all but guarantee 5
 * (test/guard.recovery.property.test.ts runs it: two files, so two workers share the work), on every
 * platform's profile: WeChat's in full, the others with fewer runs each (the race is the same; what
 * differs is the login call, the code lifetime, checkSession's failures and the cipher). The same suite
 * runs against the package as WeChat's compiler ships it in test/compiled/.
 */
import { createSessionGuard } from '../miniprogram_npm_src'
import { ALL_PROFILES } from '../simulator/model/platforms'
import { guardProperties } from './support/guard-properties'

const RUNS = Number(process.env.PROPERTY_RUNS || 400)

describe.each(ALL_PROFILES.map((profile) => [profile.name, profile] as const))('on %s', (name, profile) => {
  guardProperties(createSessionGuard, name === 'weixin' ? RUNS : Math.max(1, Math.ceil(RUNS / 8)), profile, 'others')
})

/**
 * The guard's guarantee 5 (test/support/guard-properties.ts) against the source: recovery from a missing
 * or stale server key, and the re-tap after `retry`. The other guarantees: test/guard.property.test.ts.
 */
import { createSessionGuard } from '../miniprogram_npm_src'
import { guardProperties } from './support/guard-properties'

guardProperties(createSessionGuard, undefined, 'recovery')

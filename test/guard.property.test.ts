/**
 * The guard's guarantees (test/support/guard-properties.ts) against the source, all but guarantee 5,
 * which test/guard.recovery.property.test.ts runs: two files, so two workers share the work. The same
 * suite runs against the package as WeChat's compiler ships it in test/compiled/.
 */
import { createSessionGuard } from '../miniprogram_npm_src'
import { guardProperties } from './support/guard-properties'

guardProperties(createSessionGuard, undefined, 'others')

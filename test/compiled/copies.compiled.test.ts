/**
 * The package as WeChat's compiler ships it (ES6→ES5, minified), as two copies on one wx, and as it
 * runs on iOS 15 and below: there `Promise` is a polyfill built on setTimeout, so promise reactions
 * are macrotasks that interleave with every other timer ("时序会和标准存在差异"). Nothing may rely on
 * microtask order: the guard's guarantees hold with such a Promise in place of the native one.
 */
import { join } from 'node:path'
import PromisePolyfill from 'promise-polyfill'
import type { SessionGuardOptions } from '../../miniprogram_npm_src'
import type { Clock } from '../../miniprogram_npm_src/primitives/clock'
import { compiledPackage, PACKAGE_DIR } from '../../scripts/compiled-package'
import type { CreateGuard } from '../../simulator/scenarios/scenario'
import { guardProperties } from '../support/guard-properties'
import { evaluateCopies, spreadCreate } from '../support/package-copies'

const COMPILED = join(compiledPackage(), PACKAGE_DIR, 'index.js')
const RUNS = Number(process.env.PROPERTY_RUNS || 100)

describe('two compiled copies on one wx', () => guardProperties(spreadCreate(evaluateCopies(COMPILED, 2)), RUNS))

describe('with a setTimeout-based Promise (iOS ≤ 15)', () => {
  type Polyfill = { _immediateFn: (fn: () => void) => void; _unhandledRejectionFn: (error: unknown) => void }
  const TimerPromise = PromisePolyfill as unknown as Polyfill & PromiseConstructor
  let clock: Clock | undefined
  // Each reaction waits for a timer on the world's clock, behind whatever else is due at that moment.
  TimerPromise._immediateFn = (fn: () => void) => void (clock ? clock.setTimeout(fn, 0) : setTimeout(fn, 0))
  TimerPromise._unhandledRejectionFn = () => undefined
  const copies = evaluateCopies(COMPILED, 2, { Promise: TimerPromise })
  const create = spreadCreate(copies)
  const onTheWorldsClock = (<R>(options?: SessionGuardOptions<R>) => {
    clock = options && options.clock
    return create(options)
  }) as CreateGuard

  it('runs on the polyfill, not on native promises', () => {
    const world = { clock: { now: () => 0, setTimeout: (fn: () => void) => fn(), clearTimeout: () => undefined } }
    const guard = copies[0].createSessionGuard({ wx: { login: () => undefined, checkSession: () => undefined }, send: () => new Promise(() => undefined), clock: world.clock })
    expect(guard.prepare()).toBeInstanceOf(TimerPromise)
  })

  guardProperties(onTheWorldsClock, RUNS)
})

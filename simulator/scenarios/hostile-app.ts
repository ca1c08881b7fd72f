import fc from 'fast-check'
import { SessionGuardError, type SessionGuard } from '../../miniprogram_npm_src'
import { appScenarioArb, playApp, type AppRun, type AppScenario, type AppStep } from './app-scenario'
import type { Step } from './scenario'
import type { Reply } from '../world/thread-server'
import type { World } from '../world/world'

/** What a hostile app and server add: options no caller should pass, tokens no server should issue, a login route that fails. */
export type HostileAppStep =
  | { at: number; kind: 'bad-request'; options: Record<string, unknown> }
  | { at: number; kind: 'callback-request' }
  | { at: number; kind: 'forbidden-request' }
  | { at: number; kind: 'logout' }
  | { at: number; kind: 'login' }
  | { at: number; kind: 'next-token'; mode: 'bad' | 'same' | 'none' }
  | { at: number; kind: 'login-502' }

export interface HostileScenario extends Omit<AppScenario, 'steps'> {
  steps: (Step | AppStep | HostileAppStep)[]
}

export interface CallRecord {
  start: number
  end?: number
  rejected?: unknown
  /** success + fail calls, and complete calls, for a request made with callbacks. */
  answered?: { once: number; complete: number }
}

export interface HostileRun extends AppRun {
  calls: CallRecord[]
  badRequests: CallRecord[]
}

export const FORBIDDEN_URL = 'https://api.example.com/admin'

const time = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 6000 }))

/** Options a page might pass from a query string or JSON: numeric strings, NaN, ±Infinity, wrong kinds. */
const badOptions = fc.oneof(
  fc.constantFrom('3000', NaN, Infinity, -1, 0, 2 ** 31, null, {}).map((timeout) => ({ timeout })),
  fc.constantFrom('x', null, 7).map((header) => ({ header })),
  fc.constantFrom('success', 'fail', 'complete').map((name) => ({ [name]: 'not a function' })),
  fc.constantFrom('', 7, null).map((url) => ({ url })),
)

const hostileAppStep: fc.Arbitrary<HostileAppStep> = fc.oneof(
  fc.record({ at: time, kind: fc.constant('bad-request' as const), options: badOptions }),
  fc.record({ at: time, kind: fc.constant('callback-request' as const) }),
  fc.record({ at: time, kind: fc.constant('forbidden-request' as const) }),
  fc.record({ at: time, kind: fc.constant('logout' as const) }),
  fc.record({ at: time, kind: fc.constant('login' as const) }),
  fc.record({ at: time, kind: fc.constant('next-token' as const), mode: fc.constantFrom<'bad' | 'same' | 'none'>('bad', 'same', 'none') }),
  fc.record({ at: time, kind: fc.constant('login-502' as const) }),
)

/**
 * The guard's hostile scenarios (late callbacks, unproven replies, backward clock steps, a second
 * guard, every phone-detail shape, faults), the app's requests and token expiries, and the hostile
 * app steps above. Forward leaps are left out: the bounds checked are those of real time passing.
 */
export function hostileScenarioArb(options: { maxSteps?: number; only?: HostileAppStep['kind'][] } = {}): fc.Arbitrary<HostileScenario> {
  const extra = options.only ? hostileAppStep.filter((step) => options.only!.includes(step.kind)) : hostileAppStep
  return fc
    .tuple(appScenarioArb({ world: true, faults: true, hostile: true, leaps: false, shapes: true, maxSteps: options.maxSteps }), fc.array(extra, { minLength: 1, maxLength: options.maxSteps ?? 12 }))
    .map(([scenario, steps]) => ({ ...scenario, steps: [...scenario.steps, ...steps] }))
}

const HOSTILE_KINDS = new Set(['bad-request', 'callback-request', 'forbidden-request', 'logout', 'login', 'next-token', 'login-502'])
const isHostile = (step: Step | AppStep | HostileAppStep): step is HostileAppStep => HOSTILE_KINDS.has(step.kind)

export interface LoginRoute {
  sendLogin: (code: string) => Promise<unknown>
  /** The next reply is a 502. */
  fail: () => void
  /** No 502 is left to come. */
  heal: () => void
}

/** The login route a hostile guard uses: the model's, answering HTTP 502 after the server stored the key, as often as asked. */
export function failingLoginRoute(world: World): LoginRoute {
  let failing = 0
  return {
    fail: () => void failing++,
    heal: () => void (failing = 0),
    sendLogin: (code) =>
      world.network.sendLogin(code).then((reply) => {
        if (failing > 0) {
          failing--
          throw new SessionGuardError('NETWORK', 'HTTP 502')
        }
        return reply
      }),
  }
}

function track<T>(world: World, list: CallRecord[], call: () => Promise<T>): CallRecord {
  const record: CallRecord = { start: world.clock.now() }
  list.push(record)
  const done = () => (record.end = world.clock.now())
  call().then(done, (error: unknown) => ((record.rejected = error), done()))
  return record
}

/** Schedules every step; the caller then runs the world. */
export function playHostile(world: World, guard: SessionGuard<Reply>, steps: HostileScenario['steps'], loginRoute: { fail: () => void }): HostileRun {
  const run: HostileRun = { ...playApp(world, guard, steps.filter((s): s is Step | AppStep => !isHostile(s))), calls: [], badRequests: [] }
  world.app.forbidden.add(FORBIDDEN_URL)
  for (const step of steps.filter(isHostile)) {
    world.clock.setTimeout(() => {
      switch (step.kind) {
        case 'bad-request':
          track(world, run.badRequests, () => guard.request({ url: 'https://api.example.com/me', ...step.options } as never))
          break
        case 'callback-request': {
          const answered = { once: 0, complete: 0 }
          const record = track(world, run.calls, () =>
            guard.request({ url: 'https://api.example.com/me', success: () => answered.once++, fail: () => answered.once++, complete: () => answered.complete++ }),
          )
          record.answered = answered
          break
        }
        case 'forbidden-request':
          track(world, run.calls, () => guard.request({ url: FORBIDDEN_URL }))
          break
        case 'logout':
          guard.logout()
          break
        case 'login':
          track(world, run.calls, () => guard.login())
          break
        case 'next-token':
          world.app.nextTokens.push(step.mode)
          break
        case 'login-502':
          run.faulty = true
          loginRoute.fail()
          break
      }
    }, step.at)
  }
  return run
}

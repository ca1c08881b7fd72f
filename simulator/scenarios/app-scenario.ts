import fc from 'fast-check'
import type { SessionGuard } from '../../miniprogram_npm_src'
import { playGuard, scenarioArb, type Run, type Scenario, type Step } from './scenario'
import type { Reply } from '../world/thread-server'
import type { World } from '../world/world'

/** What the app itself does besides open data: its own API calls, and its server's tokens running out. */
export type AppStep = { at: number; kind: 'request'; count: number } | { at: number; kind: 'expire-token' }

export interface AppScenario extends Omit<Scenario, 'steps'> {
  steps: (Step | AppStep)[]
}

export interface RequestRecord {
  start: number
  end?: number
  status?: number
  rejected?: unknown
  /** Token expiries between the start and the answer. */
  expiriesDuring?: number
}

export interface AppRun extends Run {
  requests: RequestRecord[]
}

const time = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 6000 }))

/** Often the same instant: the model runs each instant's callbacks before time moves on. */
const closeTime = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 1, arbitrary: time })

/** `count` requests at once: a page firing its API calls together. */
const requestStep = fc.record({ at: closeTime, kind: fc.constant('request' as const), count: fc.integer({ min: 1, max: 5 }) })

export const appStepArb: fc.Arbitrary<AppStep> = fc.oneof(
  { weight: 3, arbitrary: requestStep },
  { weight: 1, arbitrary: fc.record({ at: closeTime, kind: fc.constant('expire-token' as const) }) },
)

/** The guard's usual scenarios (taps, pages, world changes, faults) with app requests and token expiries mixed in. */
export function appScenarioArb(options: Parameters<typeof scenarioArb>[0]): fc.Arbitrary<AppScenario> {
  return fc
    .tuple(scenarioArb(options), fc.array(appStepArb, { minLength: 1, maxLength: options.maxSteps ?? 12 }))
    .map(([scenario, app]) => ({ ...scenario, steps: [...scenario.steps, ...app] }))
}

/** A returning user whose only trouble is the app server's tokens running out, with pages calling prepare(). */
export const tokenExpiryArb: fc.Arbitrary<AppScenario> = fc.record({
  policies: scenarioArb({ world: false, faults: false }).map((s) => s.policies),
  loggedIn: fc.constant(true),
  steps: fc.array(
    fc.oneof(appStepArb, fc.record({ at: closeTime, kind: fc.constant('prepare' as const) }), requestStep),
    { minLength: 1, maxLength: 16 },
  ),
})

const isAppStep = (step: Step | AppStep): step is AppStep => step.kind === 'request' || step.kind === 'expire-token'

function request(world: World, guard: SessionGuard<Reply>, run: AppRun): void {
  const record: RequestRecord = { start: world.clock.now() }
  const expiriesAtStart = world.app.expiries
  run.requests.push(record)
  const done = () => {
    record.end = world.clock.now()
    record.expiriesDuring = world.app.expiries - expiriesAtStart
  }
  guard.request({ url: 'https://api.example.com/me' }).then(
    (res) => ((record.status = res.statusCode), done()),
    (error: unknown) => ((record.rejected = error), done()),
  )
}

/** Schedules every step on the world's clock; the caller then runs the world. */
export function playApp(world: World, guard: SessionGuard<Reply>, steps: (Step | AppStep)[]): AppRun {
  const run: AppRun = { ...playGuard(world, guard, steps.filter((s): s is Step => !isAppStep(s))), requests: [] }
  for (const step of steps.filter(isAppStep)) {
    world.clock.setTimeout(() => {
      if (step.kind === 'expire-token') {
        world.app.expireTokens()
        return
      }
      for (let i = 0; i < step.count; i++) request(world, guard, run)
    }, step.at)
  }
  return run
}

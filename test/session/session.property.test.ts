/**
 * The guard owning the app's session: its own API requests, the server's tokens running out and
 * prepare() mixed into the guard's usual races, checked over interleavings fast-check's scheduler
 * picks, against the WeChat model under every undocumented policy.
 */
import fc from 'fast-check'
import type { SessionGuard } from '../../miniprogram_npm_src'
import { appScenarioArb, playApp, tokenExpiryArb, type AppRun, type AppScenario } from '../../simulator/scenarios/app-scenario'
import { GUARD_TIMEOUT, guardFor } from '../../simulator/scenarios/scenario'
import type { Reply } from '../../simulator/world/thread-server'
import { RATE_LIMIT } from '../../simulator/model/wechat'
import { World, runToQuiet, scheduled } from '../../simulator/world/world'

const RUNS = Number(process.env.PROPERTY_RUNS || 400)

type Result = { world: World; run: AppRun; guard: SessionGuard<Reply> }

async function simulate(s: fc.Scheduler, scenario: AppScenario): Promise<Result> {
  const world = new World(scenario.policies, scheduled(s), scenario.loggedIn)
  const guard = guardFor(world)
  const run = playApp(world, guard, scenario.steps)
  await runToQuiet(world.clock, s)
  return { world, run, guard }
}

function property(scenario: fc.Arbitrary<AppScenario>, check: (result: Result) => void) {
  return fc.assert(
    fc.asyncProperty(fc.scheduler(), scenario, async (s, sc) => check(await simulate(s, sc))),
    { numRuns: RUNS },
  )
}

const everything = appScenarioArb({ world: true, faults: true })

describe('the app session inside the guard’s races (taps, pages, requests, token expiries, faults)', () => {
  it('never has two wx.login calls in flight', () =>
    property(everything, ({ world }) => {
      expect(world.wechat.maxLoginsInFlight).toBeLessThanOrEqual(1)
    }))

  it(`never makes more than ${RATE_LIMIT} login + checkSession calls in any rolling second`, () =>
    property(appScenarioArb({ world: true, faults: true, maxSteps: 30 }), ({ world }) => {
      expect(world.wechat.limitedCalls).toBe(0)
      expect(world.wechat.peakCallsPerSecond).toBeLessThanOrEqual(RATE_LIMIT)
    }))

  it('never starts a re-login while a decrypt is in flight', () =>
    property(everything, ({ world }) => {
      expect(world.allViolations()).toEqual([])
    }))

  it('settles every request with a response (the business route always answers), within one login wait and two sends', () =>
    property(everything, ({ run }) => {
      for (const request of run.requests) {
        expect(request.end).toBeDefined()
        expect((request.end as number) - request.start).toBeLessThanOrEqual(3 * GUARD_TIMEOUT)
        expect(request.rejected).toBeUndefined()
      }
    }))

  it('leaves no hold, waiter or timer once the world is quiet', () =>
    property(everything, ({ world, guard }) => {
      expect(guard.inspect()).toMatchObject({ holds: 0, login: 'idle', waiters: 0 })
      expect(world.clock.pending).toBe(0)
    }))
})

describe('token expiry', () => {
  it('costs one login however many requests saw it, and every request that met no second expiry succeeds', () =>
    property(tokenExpiryArb, ({ world, run }) => {
      expect(world.wechat.logins.length).toBeLessThanOrEqual(world.app.expiries)
      for (const request of run.requests) {
        if ((request.expiriesDuring as number) < 2) expect(request).toMatchObject({ status: 200 })
      }
    }))

  it('prepare() with a token and a valid WeChat session never logs in, even after the server’s tokens expired', () =>
    property(
      tokenExpiryArb.map((sc) => ({ ...sc, steps: sc.steps.filter((s) => s.kind !== 'request') })),
      ({ world }) => {
        expect(world.wechat.logins).toHaveLength(0)
      },
    ))
})

/**
 * Phone-number details of every documented shape (full, code-only, real-time,
 * cloudID-only) mixed with sealed taps, open data, consent holds and pages,
 * over interleavings fast-check's scheduler picks, against the WeChat model
 * under every undocumented policy; the app with and without a session token.
 */
import fc from 'fast-check'
import { createSessionGuard, type SessionGuard, type SessionGuardOptions } from '../miniprogram_npm_src'
import { GUARD_TIMEOUT, disturbedDuring, playGuard, scenarioArb, type Run, type Scenario, type Step } from '../simulator/scenarios/scenario'
import type { Reply } from '../simulator/world/thread-server'
import { RATE_LIMIT } from '../simulator/model/wechat'
import { World, runToQuiet, scheduled } from '../simulator/world/world'

const RUNS = Number(process.env.PROPERTY_RUNS || 300)

interface Result {
  world: World
  run: Run
  guard: SessionGuard<Reply>
}

/** `token: false`: the phone's storage lost the app's session token (a returning user has one). */
async function simulate(s: fc.Scheduler, scenario: Scenario, token: boolean): Promise<Result> {
  const world = new World(scenario.policies, scheduled(s), scenario.loggedIn)
  if (!token) world.app.storage.clear()
  const options: SessionGuardOptions<Reply> = {
    wx: world.wx,
    send: world.network.send,
    sendLogin: world.network.sendLogin,
    clock: world.clock,
    timeout: GUARD_TIMEOUT,
  }
  const guard = createSessionGuard(options)
  const run = playGuard(world, guard, scenario.steps)
  await runToQuiet(world.clock, s)
  return { world, run, guard }
}

function property(scenario: fc.Arbitrary<Scenario>, check: (result: Result, token: boolean) => void) {
  return fc.assert(
    fc.asyncProperty(fc.scheduler(), scenario, fc.boolean(), async (s, sc, token) => {
      check(await simulate(s, sc, token), token)
    }),
    { numRuns: RUNS },
  )
}

const mixed = scenarioArb({ world: true, faults: true, shapes: true })
const calmMixed = scenarioArb({ world: true, faults: false, shapes: true })
/** Mixed shapes, plus late wx.login callbacks, replies that prove nothing, clock steps, suspension, a second guard. */
const hostileMixed = scenarioArb({ world: true, faults: true, hostile: true, shapes: true, maxSteps: 20 })

/** A returning user (a token in storage) tapping only phone codes and cloudIDs, with the world changing underneath. */
const unsealedOnly = scenarioArb({ world: true, faults: false, shapes: true, maxSteps: 16 }).map((sc) => ({
  ...sc,
  loggedIn: true,
  steps: sc.steps.map((st): Step => (st.kind === 'tap' ? { ...st, shape: st.shape && st.shape !== 'full' ? st.shape : 'code-only' } : st)).filter(
    (st) => st.kind === 'tap' || st.kind === 'expire' || st.kind === 'lose-key',
  ),
}))

describe('phone codes alone need no key', () => {
  it('make no wx.checkSession and no wx.login when the app holds a session token, and all go through', () =>
    fc.assert(
      fc.asyncProperty(fc.scheduler(), unsealedOnly, async (s, scenario) => {
        const { world, run } = await simulate(s, scenario, true)
        expect(world.wechat.calls).toEqual([])
        for (const tap of run.taps) expect({ tag: tap.tag, status: tap.outcome?.status }).toEqual({ tag: tap.tag, status: 'ok' })
      }),
      { numRuns: RUNS },
    ))

  it('make exactly one wx.login between them without a token: its reply brings the token the others use', () =>
    fc.assert(
      fc.asyncProperty(fc.scheduler(), unsealedOnly, async (s, scenario) => {
        const { world, run, guard } = await simulate(s, scenario, false)
        fc.pre(run.taps.length > 0)
        expect(world.wechat.calls.map((c) => c.api)).toEqual(['login'])
        expect(guard.token()).toBeDefined()
        for (const tap of run.taps) expect({ tag: tap.tag, status: tap.outcome?.status }).toEqual({ tag: tap.tag, status: 'ok' })
      }),
      { numRuns: RUNS },
    ))
})

describe('mixed shapes keep every guarantee', () => {
  it('never has two wx.login or two wx.checkSession calls in flight', () =>
    property(mixed, ({ world }) => {
      expect(world.wechat.maxLoginsInFlight).toBeLessThanOrEqual(1)
      expect(world.wechat.maxChecksInFlight).toBeLessThanOrEqual(1)
    }))

  it(`never makes more than ${RATE_LIMIT} login + checkSession calls in a rolling second`, () =>
    property(scenarioArb({ world: true, faults: true, shapes: true, maxSteps: 30 }), ({ world }) => {
      expect(world.wechat.limitedCalls).toBe(0)
      expect(world.wechat.peakCallsPerSecond).toBeLessThanOrEqual(RATE_LIMIT)
    }))

  it('sends every login code exactly once and redeems no phone code twice', () =>
    property(mixed, ({ world }) => {
      for (const [code, requests] of world.network.requestsPerCode()) expect({ code, requests }).toEqual({ code, requests: 1 })
      expect(world.wechat.codeErrors).toBe(0)
      expect(world.wechat.phoneCodes.rejected).toBe(0)
    }))

  it('never logs in during a flag-1 decrypt, never sends sealed data with flag 1 while a login is in flight, no login inside a consent hold', () =>
    property(mixed, ({ world, run }) => {
      expect(world.allViolations()).toEqual([])
      for (const hold of run.holds) expect(hold.loginsAtEvent).toBe(hold.loginsAtPress)
    }))

  it('fails no tap a client could have served', () =>
    property(calmMixed, ({ run }) => {
      for (const tap of run.taps) {
        if (tap.eligibleAtConsent && !disturbedDuring(run, tap)) expect({ tag: tap.tag, outcome: tap.outcome?.status }).toEqual({ tag: tap.tag, outcome: 'ok' })
      }
    }))

  it('settles every call within the timeout and leaves no hold, waiter or timer', () =>
    property(mixed, ({ world, run, guard }) => {
      for (const call of [...run.taps, ...run.prepares]) {
        expect(call.end).toBeDefined()
        expect((call.end as number) - call.start).toBeLessThanOrEqual(GUARD_TIMEOUT)
      }
      expect(guard.inspect()).toMatchObject({ holds: 0, login: 'idle', waiters: 0 })
      expect(world.clock.pending).toBe(0)
    }))

  it('keeps one wx.login in flight, 4 calls a second and one request per code under late callbacks, clock steps, suspension and a second guard', () =>
    property(hostileMixed, ({ world }) => {
      expect(world.wechat.maxLoginsInFlight).toBeLessThanOrEqual(1)
      expect(world.wechat.limitedCalls).toBe(0)
      for (const [code, requests] of world.network.requestsPerCode()) expect({ code, twice: requests > 1 }).toEqual({ code, twice: false })
    }))

  it('leaves the session fresh after a retry: the next tap goes through', () =>
    fc.assert(
      fc.asyncProperty(fc.scheduler(), mixed, fc.boolean(), async (s, scenario, token) => {
        const { world, run, guard } = await simulate(s, scenario, token)
        const settled = run.taps.filter((t) => t.outcome).sort((a, b) => (a.end as number) - (b.end as number))
        const last = settled[settled.length - 1]
        fc.pre(!!last && last.outcome?.status === 'retry' && !run.disturbances.some((t) => t >= (last.end as number)))
        world.wechat.failNextLogins = 0
        world.wechat.failNextChecks = 0
        const again = guard.getPhoneNumber(world.wechat.consent('re-tap').detail)
        await runToQuiet(world.clock, s)
        expect(await again).toMatchObject({ status: 'ok' })
      }),
      { numRuns: RUNS },
    ))
})

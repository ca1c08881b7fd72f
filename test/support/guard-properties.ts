/**
 * The guard's guarantees, each checked over thousands of interleavings that
 * fast-check's scheduler picks, against the WeChat model under every
 * undocumented policy (key rotation × which key seals data in an expired session).
 * Parameterised by the createSessionGuard under test: the source (test/guard.property.test.ts)
 * or the package as WeChat's compiler ships it (test/compiled/).
 */
import fc from 'fast-check'
import { RATE_LIMIT, RATE_WINDOW_MS } from '../../simulator/model/wechat'
import { PROFILES, type PlatformProfile } from '../../simulator/model/platforms'
import type { VirtualClock } from '../../simulator/model/virtual-clock'
import { World, runToQuiet, scheduled } from '../../simulator/world/world'
import { GUARD_TIMEOUT, disturbedDuring, guardFor, playGuard, scenarioArb, type CreateGuard, type Run, type Scenario } from '../../simulator/scenarios/scenario'
import type { SessionGuard } from '../../miniprogram_npm_src'
import type { Reply } from '../../simulator/world/thread-server'
import { DATA_URL, LOGIN_URL, httpWorld } from './model-http'

/** Which of the guarantees a file runs: guarantee 5 (recovery, the slowest) and the rest run as two files, so two workers share them. */
export type PropertyPart = 'all' | 'recovery' | 'others'

/**
 * The guarantees on one platform's profile (default WeChat's): each platform's login call, code
 * lifetime, checkSession failures and cipher, the same race.
 */
export function guardProperties(create: CreateGuard, RUNS = Number(process.env.PROPERTY_RUNS || 400), profile: PlatformProfile = PROFILES.weixin, part: PropertyPart = 'all'): void {
  const omit = (() => undefined) as unknown as jest.Describe
  const describeRecovery = part !== 'others' ? describe : omit
  const describeOthers = part !== 'recovery' ? describe : omit

  async function simulate(s: fc.Scheduler, scenario: Scenario): Promise<{ world: World; run: Run; guard: SessionGuard<Reply> }> {
    const world = new World<VirtualClock>(scenario.policies, scheduled(s), scenario.loggedIn, undefined, profile)
    const guard = guardFor(world, {}, create)
    const run = playGuard(world, guard, scenario.steps, create)
    await runToQuiet(world.clock, s)
    return { world, run, guard }
  }

  function property(scenario: fc.Arbitrary<Scenario>, check: (result: { world: World; run: Run; guard: SessionGuard<Reply> }) => void) {
    return fc.assert(
      fc.asyncProperty(fc.scheduler(), scenario, async (s, sc) => {
        check(await simulate(s, sc))
      }),
      { numRuns: RUNS },
    )
  }

  const everything = scenarioArb({ world: true, faults: true })
  const calm = scenarioArb({ world: true, faults: false })
  /** Everything, plus late wx.login callbacks, replies that prove nothing, clock steps, suspension, a second guard. */
  const hostile = scenarioArb({ world: true, faults: true, hostile: true })

  describeOthers('guarantee 1: at most one wx.login in flight', () => {
    it('never has two wx.login calls in flight, whatever taps, pages and faults race', () =>
      property(everything, ({ world }) => {
        expect(world.wechat.maxLoginsInFlight).toBeLessThanOrEqual(1)
      }))

    it('never starts a wx.login before the last one called back: late callbacks, clock steps, suspension, two guards', () =>
      property(hostile, ({ world }) => {
        expect(world.wechat.maxLoginsInFlight).toBeLessThanOrEqual(1)
      }))
  })

  describeOthers('guarantee 2: shared checkSession and WeChat’s 4-per-second limit', () => {
    it('never has two wx.checkSession calls in flight', () =>
      property(everything, ({ world }) => {
        expect(world.wechat.maxChecksInFlight).toBeLessThanOrEqual(1)
      }))

    it(`never makes more than ${RATE_LIMIT} login + checkSession calls in any rolling ${RATE_WINDOW_MS} ms, so none is refused`, () =>
      property(scenarioArb({ world: true, faults: true, maxSteps: 30 }), ({ world }) => {
        expect(world.wechat.limitedCalls).toBe(0)
        expect(world.wechat.peakCallsPerSecond).toBeLessThanOrEqual(RATE_LIMIT)
      }))

    it(`keeps within ${RATE_LIMIT} calls per rolling second when the device clock jumps an hour either way, the app is suspended, or two guards share the wx`, () =>
      property(scenarioArb({ world: true, faults: true, hostile: true, maxSteps: 30 }), ({ world }) => {
        expect(world.wechat.limitedCalls).toBe(0)
        expect(world.wechat.peakCallsPerSecond).toBeLessThanOrEqual(RATE_LIMIT)
      }))
  })

  describeOthers('guarantee 3: a login code travels in exactly one request', () => {
    it('sends every code WeChat issued exactly once, even after lost requests and replies', () =>
      property(everything, ({ world }) => {
        for (const [code, requests] of world.network.requestsPerCode()) {
          expect({ code, requests }).toEqual({ code, requests: 1 })
        }
        expect(world.wechat.codeErrors).toBe(0)
      }))

    it('never sends a code twice, and drops only codes that came after the guard stopped waiting', () =>
      property(hostile, ({ world, run }) => {
        for (const [code, requests] of world.network.requestsPerCode()) {
          expect({ code, twice: requests > 1 }).toEqual({ code, twice: false })
          // A code can come too late only from a late callback, or after time leapt past the wait.
          if (requests === 0) expect(world.wechat.lateCodes.has(code) || run.leapt).toBe(true)
        }
        expect(world.wechat.codeErrors).toBe(0)
      }))
  })

  describeOthers('guarantee 4: wx.login splits open data in two', () => {
    it('never invokes wx.login while a flag-1 decrypt is in flight, and never sends flag 1 while a login or its code is in flight', () =>
      property(everything, ({ world }) => {
        expect(world.allViolations()).toEqual([])
      }))

    // Forward leaps (suspension, the clock stepped ahead) are left out here: a code that comes back after
    // the guard stopped waiting is never sent, and the model cannot tell it from one still on its way.
    it('keeps that order through backward clock steps, late login callbacks, replies that prove nothing and a second guard', () =>
      property(scenarioArb({ world: true, faults: true, hostile: true, leaps: false }), ({ world }) => {
        expect(world.allViolations()).toEqual([])
      }))
  })

  describeOthers('the consent hold (phone-number-button)', () => {
    it('starts no wx.login between the press and the getphonenumber event', () =>
      property(everything, ({ run }) => {
        for (const hold of run.holds) expect(hold.loginsAtEvent).toBe(hold.loginsAtPress)
      }))
  })

  describeRecovery('guarantee 5: recovery from a missing or stale server key', () => {
    it('fails no tap a client could have served: valid session, no login in flight, a key the server can use', () =>
      property(calm, ({ run }) => {
        for (const tap of run.taps) {
          if (tap.eligibleAtConsent && !disturbedDuring(run, tap)) expect({ tag: tap.tag, outcome: tap.outcome?.status }).toEqual({ tag: tap.tag, outcome: 'ok' })
        }
      }))

    const retapAfterRetry = (scenarios: fc.Arbitrary<Scenario>) =>
      fc.assert(
        fc.asyncProperty(fc.scheduler(), scenarios, async (s, scenario) => {
          const { world, run, guard } = await simulate(s, scenario)
          const settled = run.taps.filter((t) => t.outcome).sort((a, b) => (a.end as number) - (b.end as number))
          const last = settled[settled.length - 1]
          // A late wx.login callback, or a code the server used without storing its key, rotates the key where
          // the server never sees it: a disturbance like any other when it happens after the retry.
          const lateCodes = [...world.wechat.lateCodes.values()]
          const unproven = world.server.unprovenAt
          fc.pre(
            !!last &&
              last.outcome?.status === 'retry' &&
              !run.disturbances.some((t) => t >= (last.end as number)) &&
              !unproven.some((t) => t >= (last.end as number)) &&
              !lateCodes.some((t) => t >= last.start),
          )
          world.wechat.failNextLogins = 0
          world.wechat.failNextChecks = 0
          world.wechat.lateNextLogins.length = 0
          world.server.unprovenNextReplies = 0
          const consent = world.wechat.consent('re-tap')
          // Read as the world runs: on a setTimeout-based Promise a reaction needs the world's clock.
          let again: unknown
          guard.getPhoneNumber(consent.detail).then((outcome) => (again = outcome))
          await runToQuiet(world.clock, s)
          expect(again).toMatchObject({ status: 'ok' })
        }),
        { numRuns: RUNS },
      )

    it('leaves the session fresh after a retry: the next tap goes through', () => retapAfterRetry(everything))

    it('keeps that promise when replies prove nothing, the login route fails, logins call back late and clocks jump', () => retapAfterRetry(hostile))
  })

  describeOthers('guarantee 6: every call settles within the timeout and leaves nothing behind', () => {
    it('settles every getPhoneNumber, openData and prepare within the timeout', () =>
      property(everything, ({ run }) => {
        for (const call of [...run.taps, ...run.prepares]) {
          expect(call.end).toBeDefined()
          expect((call.end as number) - call.start).toBeLessThanOrEqual(GUARD_TIMEOUT)
        }
      }))

    it('settles every call within the timeout plus any time spent suspended, and at most one more timeout after the clock is set back', () =>
      property(hostile, ({ run }) => {
        // A backward step hides the time since the guard last read the clock (at most one armed delay).
        const bound = GUARD_TIMEOUT + run.suspendedMs + (run.steppedBack ? GUARD_TIMEOUT : 0)
        for (const call of [...run.taps, ...run.prepares]) {
          expect(call.end).toBeDefined()
          expect((call.end as number) - call.start).toBeLessThanOrEqual(bound)
        }
      }))

    it('leaves no hold, waiter or timer once the world is quiet', () =>
      property(hostile, ({ world, guard }) => {
        expect(guard.inspect()).toMatchObject({ holds: 0, login: 'idle', waiters: 0 })
        expect(world.clock.pending).toBe(0)
      }))
  })

  describeOthers('guarantee 7: prepare() never rotates a valid key', () => {
    it('makes no wx.login while checkSession succeeds and nothing invalidated the session', () =>
      fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          scenarioArb({ world: false, faults: false }).map((sc) => ({
            ...sc,
            loggedIn: true,
            steps: sc.steps.map((st) => ({ at: st.at, kind: 'prepare' as const })),
          })),
          async (s, scenario) => {
            const { world } = await simulate(s, scenario)
            expect(world.wechat.logins).toHaveLength(0)
          },
        ),
        { numRuns: RUNS },
      ))
  })

  describeOthers('over HTTP: failures on 4xx/5xx, expired tokens refused with 401', () => {
    it('keeps one wx.login in flight, no login under a flag-1 request, each code sent at most once, and the rate limit', () =>
      fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          scenarioArb({ world: true, faults: true, hostile: true, leaps: false }),
          fc.array(fc.constantFrom(200, 400, 401, 409, 500, 502), { minLength: 1, maxLength: 8 }),
          fc.option(fc.integer({ min: 0, max: 6000 })),
          async (s, scenario, statuses, expireAt) => {
            const world = new World<VirtualClock>(scenario.policies, scheduled(s), scenario.loggedIn, undefined, profile)
            let next = 0
            const { wx } = httpWorld(world, {
              respond: (reply) => ({ statusCode: reply.ok ? 200 : statuses[next++ % statuses.length] }),
              refuseUnknownTokens: { statusCode: 401, data: '' },
            })
            if (expireAt !== null) world.clock.setTimeout(() => world.app.expireTokens(), expireAt)
            const guard = guardFor(world, { wx, url: DATA_URL, loginUrl: LOGIN_URL, send: undefined, sendLogin: undefined }, create)
            playGuard(world, guard, scenario.steps, create)
            await runToQuiet(world.clock, s)
            expect(world.wechat.maxLoginsInFlight).toBeLessThanOrEqual(1)
            expect(world.allViolations()).toEqual([])
            for (const [code, requests] of world.network.requestsPerCode()) expect({ code, twice: requests > 1 }).toEqual({ code, twice: false })
            expect(world.wechat.limitedCalls).toBe(0)
            expect(guard.inspect()).toMatchObject({ holds: 0, login: 'idle', waiters: 0 })
          },
        ),
        { numRuns: RUNS },
      ))
  })
}

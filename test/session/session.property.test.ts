/**
 * The guard owning the app's session: its own API requests, the server's tokens running out and
 * prepare() mixed into the guard's usual races, checked over interleavings fast-check's scheduler
 * picks, against the WeChat model under every undocumented policy (test/support/session-properties.ts).
 * How requests settle and what is left once quiet: test/session/session.settle.property.test.ts.
 */
import { appScenarioArb, tokenExpiryArb } from '../../simulator/scenarios/app-scenario'
import { RATE_LIMIT } from '../../simulator/model/wechat'
import { everything, property } from '../support/session-properties'

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

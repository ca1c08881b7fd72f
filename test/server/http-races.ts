import type { SessionGuard, SessionGuardOptions } from '../../miniprogram_npm_src'
import { applyToWeChat, avoidable, LATENCIES, type RaceScenario, type TapResult } from '../../simulator/scenarios/side-by-side'
import type { Fault } from '../../simulator/world/network'
import { roundRobinPost, startHttpWorld } from './http-world'
import type { Policies } from '../../simulator/model/wechat'

/** Real milliseconds per scenario millisecond: the scenarios' timelines, ten times faster. */
export const SCALE = 0.1
const LOST_AFTER_MS = 500

export interface HttpRaceResult {
  taps: TapResult[]
  limitedCalls: number
  codesIssued: number
  exchanges: number
  codeErrors: number
}

/**
 * Plays one of the model's race scenarios in real time against the guard → HTTP → companion(s) →
 * fake WeChat API. Lost requests and replies are made on the client side of the wire.
 */
export async function runRaceOverHttp(
  scenario: RaceScenario,
  mode: 'memory' | 'redis',
  policies: Policies,
  createSessionGuard: (o: SessionGuardOptions) => SessionGuard,
): Promise<HttpRaceResult> {
  const world = await startHttpWorld(mode, policies, (label, fn) => setTimeout(fn, (LATENCIES as Record<string, number>)[label] * SCALE), scenario.loggedIn)
  try {
    const post = roundRobinPost(world)
    if (scenario.loggedIn) {
      // The companion starts with the key of the valid session, as a server that saw the last login.
      const code = await new Promise<string>((resolve) => world.wechat.wx.login({ success: (r) => resolve(r.code as string) }))
      await post('/login', { code })
      // That login belongs to an earlier launch: it is not part of this run's calls per second.
      world.wechat.calls.length = 0
    }
    let serverKey = world.fake.lastExchangedKey
    const faults: { fault: Fault; encryptedData: string }[] = []
    const lost = () => new Promise<never>((_, reject) => setTimeout(() => reject({ errMsg: 'request:fail timeout' }), LOST_AFTER_MS))
    const send = async (payload: Record<string, string>) => {
      const index = faults.findIndex((f) => f.encryptedData === payload.encryptedData)
      const fault = index >= 0 ? faults.splice(index, 1)[0].fault : undefined
      if (fault === 'lose-request') return lost()
      const reply = await post('/open-data', payload)
      return fault === 'lose-reply' ? lost() : reply
    }
    const guard = createSessionGuard({ wx: world.wechat.wx, send, sendLogin: (code) => post('/login', { code }), timeout: 8000 })
    const results: TapResult[] = []
    const pending: Promise<unknown>[] = []
    // Real time runs on under load: a scheduled world event can land in the middle of a re-tap.
    const disturbances: number[] = []

    // Every tap under way, with when it settled: a forget that lands while a tap is on its way disturbs it.
    const inFlight = new Map<TapResult, number | undefined>()

    const tap = (fault?: Fault): Promise<TapResult> => {
      serverKey = world.fake.lastExchangedKey ?? serverKey
      const consent = world.wechat.consent(`tap-${Date.now()}`)
      if (fault) faults.push({ fault, encryptedData: consent.detail.encryptedData })
      const result: TapResult = {
        at: Date.now(),
        // Under load a failing WeChat call armed for an earlier tap may still be waiting for this one.
        avoidable: world.wechat.failNextLogins === 0 && world.wechat.failNextChecks === 0 && avoidable(world.wechat, serverKey, consent, fault),
        ok: false,
        status: 'pending',
      }
      inFlight.set(result, undefined)
      return guard.getPhoneNumber(consent.detail).then((outcome) => {
        inFlight.set(result, Date.now())
        result.ok = outcome.status === 'ok'
        result.status = outcome.status === 'ok' ? 'ok' : `${outcome.status}:${'reason' in outcome ? outcome.reason : ''}`
        return result
      })
    }

    await Promise.all(
      scenario.events.map(
        (event) =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              switch (event.kind) {
                case 'tap':
                  pending.push(
                    tap(event.fault).then(async (result) => {
                      results.push(result)
                      if (result.ok) return
                      const start = Date.now()
                      // A failing WeChat call armed earlier and not yet used will hit the re-tap: a disturbance too.
                      const faultArmed = world.wechat.failNextLogins > 0 || world.wechat.failNextChecks > 0
                      result.retapOk = (await tap()).ok
                      result.retapDisturbed = faultArmed || disturbances.some((t) => t >= start)
                    }),
                  )
                  break
                case 'page-show':
                  pending.push(guard.prepare())
                  break
                case 'lose-key': {
                  const forgetAt = Date.now()
                  disturbances.push(forgetAt)
                  serverKey = undefined
                  world.fake.lastExchangedKey = undefined
                  // The delete is an HTTP call: under load it lands well after it was asked for, possibly after a
                  // tap's recovery stored a fresh key, which it then deletes. Until it has landed the loss goes on.
                  pending.push(
                    world.forget().then(() => {
                      const landedAt = Date.now()
                      disturbances.push(landedAt)
                      for (const [result, settledAt] of inFlight) if (result.at <= landedAt && (settledAt === undefined || settledAt >= forgetAt)) result.avoidable = false
                    }),
                  )
                  break
                }
                default:
                  disturbances.push(Date.now())
                  applyToWeChat(event, world.wechat)
              }
              resolve()
            }, event.at * SCALE),
          ),
      ),
    )
    await Promise.all(pending)
    // Re-taps push more work; wait until it is all settled.
    await Promise.all(pending)
    return {
      taps: results,
      limitedCalls: world.wechat.limitedCalls,
      codesIssued: world.wechat.codes.size,
      exchanges: world.fake.calls.filter((c) => c === '/sns/jscode2session').length,
      codeErrors: world.wechat.codeErrors,
    }
  } finally {
    await world.stop()
  }
}

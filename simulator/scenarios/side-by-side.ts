import type { Outcome, SessionGuard, SessionGuardOptions } from '../../miniprogram_npm_src'
import type { Fault } from '../world/network'
import type { Reply } from '../world/thread-server'
import { threadClientPageShow, threadClientTap } from '../world/thread-client'
import type { Consent, Policies, WeChatModel } from '../model/wechat'
import { World, runToQuiet, timed } from '../world/world'
import { PROFILES, type PlatformProfile } from '../model/platforms'

/**
 * The race scenarios, run once with the seed thread's client and once with
 * the guard, on the same deterministic world (fixed latencies, virtual clock).
 */

export const LATENCIES = {
  'wx.login': 200,
  'wx.checkSession': 30,
  request: 80,
  reply: 80,
  'server decrypt': 30,
}

/** What happens to WeChat or the server underneath the client, at a time. */
export type WorldEvent = { at: number; kind: 'expire' | 'lose-key' | 'fail-login' | 'fail-check' }

export type Event = { at: number; kind: 'tap'; fault?: Fault } | { at: number; kind: 'page-show' } | WorldEvent

export interface RaceScenario {
  name: string
  loggedIn: boolean
  events: Event[]
}

const taps = (times: number[], fault?: Fault): Event[] => times.map((at) => ({ at, kind: 'tap' as const, fault }))

export const SCENARIOS: RaceScenario[] = [
  { name: 'burst of taps', loggedIn: true, events: taps([0, 40, 80, 120, 160, 200, 240]) },
  {
    name: 'session expires mid-stream',
    loggedIn: true,
    events: [...taps([0, 300, 600, 900, 1200, 1500, 1800, 2100, 2400]), { at: 1000, kind: 'expire' }],
  },
  {
    name: 'pages log in on show while the user taps',
    loggedIn: true,
    events: [
      ...[0, 500, 1000, 1500, 2000].map((at) => ({ at, kind: 'page-show' as const })),
      // Some taps land just before a page's login returns: WeChat seals with the old key, the server gets the new one.
      ...taps([100, 180, 690, 1185, 1800, 2600]),
    ],
  },
  {
    name: 'server lost its key',
    loggedIn: true,
    events: [...taps([0, 1000, 1030, 2000]), { at: 500, kind: 'lose-key' }],
  },
  {
    name: 'first launch, no session yet',
    loggedIn: false,
    events: [{ at: 0, kind: 'page-show' }, ...taps([50, 120, 900])],
  },
  {
    name: 'failing WeChat calls and a lossy network',
    loggedIn: true,
    events: [
      { at: 0, kind: 'fail-check' },
      ...taps([10]),
      { at: 1500, kind: 'expire' },
      { at: 1500, kind: 'fail-login' },
      ...taps([1600]),
      ...taps([8000], 'lose-request'),
      ...taps([16000], 'lose-reply'),
      ...taps([24000]),
    ],
  },
]

export type Client = 'thread' | 'guard'

export interface TapResult {
  at: number
  /** Valid session, no login in flight, and the server holds the sealing key (or can learn it). */
  avoidable: boolean
  ok: boolean
  status: string
  /** For a failed guard tap: did one more tap, right after the outcome, go through? */
  retapOk?: boolean
  /** The world changed (expiry, key loss, a failing WeChat call) while that re-tap was under way. */
  retapDisturbed?: boolean
}

export interface ScenarioResult {
  scenario: string
  client: Client
  taps: TapResult[]
  logins: number
  checks: number
  peakPerSecond: number
  limitedCalls: number
  codeErrors: number
  violations: string[]
}

/** The events that happen inside WeChat itself, the same whoever the client and the server are. */
export function applyToWeChat(event: WorldEvent, wechat: WeChatModel): void {
  if (event.kind === 'expire') wechat.expire()
  else if (event.kind === 'fail-login') wechat.failNextLogins++
  else if (event.kind === 'fail-check') wechat.failNextChecks++
}

/**
 * A tap no client could fail on: no fault in play, a valid session, no login in flight, and the
 * server holding the sealing key (or able to learn it: with rotation only on expiry a fresh code maps to it).
 */
export function avoidable(wechat: WeChatModel, serverKey: string | undefined, consent: Consent, fault: Fault | undefined): boolean {
  if (fault || wechat.failNextChecks || wechat.failNextLogins) return false
  if (!consent.sessionValid || consent.loginInFlight) return false
  return serverKey === consent.key || wechat.policies.rotation === 'expired-only'
}

export async function runSideBySide(
  scenario: RaceScenario,
  client: Client,
  policies: Policies,
  createGuard: (options: SessionGuardOptions<Reply>) => SessionGuard<Reply>,
  /** Sees the world before the client does (e.g. to record a timeline). */
  observe?: (world: World) => void,
  profile: PlatformProfile = PROFILES.weixin,
): Promise<ScenarioResult> {
  const world = new World(policies, timed(LATENCIES), scenario.loggedIn, undefined, profile)
  observe?.(world)
  const guard = createGuard({
    platform: profile.name,
    wx: world.wx,
    send: world.network.send,
    sendLogin: world.network.sendLogin,
    clock: world.clock,
    timeout: 10000,
  })
  const results: TapResult[] = []

  const tapNow = (fault: Fault | undefined, record: (r: TapResult) => void) => {
    const consent = world.wechat.consent(`tap-${world.clock.now()}`)
    if (fault) world.network.arm(fault, (p) => p.encryptedData === consent.detail.encryptedData)
    const result: TapResult = {
      at: world.clock.now(),
      avoidable: avoidable(world.wechat, world.server.storedKey, consent, fault),
      ok: false,
      status: 'pending',
    }
    record(result)
    if (client === 'thread') {
      return threadClientTap(world.wx, world.network, consent.detail, profile.loginCall).then((r) => {
        result.ok = r.ok
        result.status = r.ok ? 'ok' : r.why
        return result
      })
    }
    return guard.getPhoneNumber(consent.detail).then((outcome: Outcome<Reply>) => {
      result.ok = outcome.status === 'ok'
      result.status = outcome.status === 'ok' ? 'ok' : `${outcome.status}:${'reason' in outcome ? outcome.reason : ''}`
      return result
    })
  }

  for (const event of scenario.events) {
    world.clock.setTimeout(() => {
      switch (event.kind) {
        case 'tap':
          void tapNow(event.fault, (r) => results.push(r)).then((result) => {
            // The user taps once more after a failure the guard reported.
            if (client === 'guard' && !result.ok) {
              void tapNow(undefined, () => undefined).then((again) => (result.retapOk = again.ok))
            }
          })
          break
        case 'page-show':
          if (client === 'thread') void threadClientPageShow(world.wx, world.network, profile.loginCall)
          else void guard.prepare()
          break
        case 'lose-key':
          world.server.loseKey()
          break
        default:
          applyToWeChat(event, world.wechat)
      }
    }, event.at)
  }
  await runToQuiet(world.clock)
  return {
    scenario: scenario.name,
    client,
    taps: results,
    logins: world.wechat.calls.filter((c) => c.api === 'login').length,
    checks: world.wechat.calls.filter((c) => c.api === 'checkSession').length,
    peakPerSecond: world.wechat.peakCallsPerSecond,
    limitedCalls: world.wechat.limitedCalls,
    codeErrors: world.wechat.codeErrors,
    violations: world.allViolations(),
  }
}

import type { SessionGuard, SessionGuardOptions } from '../../miniprogram_npm_src'
import { runSideBySide, type Client, type RaceScenario, type ScenarioResult } from '../scenarios/side-by-side'
import type { Reply } from '../world/thread-server'
import type { Policies } from '../model/wechat'
import type { World } from '../world/world'

/** Something with a start and, once it settled, an end and how it went. */
export interface Span {
  start: number
  end?: number
  ok?: boolean
  /** errMsg, the reply's reason, or 'lost'. */
  note?: string
}

export interface RequestSpan extends Span {
  kind: 'data' | 'login'
  flag?: string
}

/** One client's run of one scenario, as a story in time. */
export interface Trace {
  client: Client
  taps: { at: number; retap: boolean }[]
  checks: Span[]
  logins: Span[]
  rotations: { at: number; cause: string }[]
  requests: RequestSpan[]
  /** Things that happen under the client: pages showing, the session expiring, the server losing its key. */
  world: { at: number; kind: string }[]
  result: ScenarioResult
}

function watchWx(world: World, trace: Trace): void {
  const now = () => world.clock.now()
  const wx = world.wx
  const { login, checkSession } = wx
  wx.login = (options) => {
    const span: Span = { start: now() }
    trace.logins.push(span)
    const settle = (ok: boolean, note?: string) => Object.assign(span, { end: now(), ok, note })
    return login({ ...options, success: (r) => (settle(true), options.success?.(r)), fail: (e) => (settle(false, e.errMsg), options.fail?.(e)) })
  }
  wx.checkSession = (options) => {
    const span: Span = { start: now() }
    trace.checks.push(span)
    const settle = (ok: boolean) => Object.assign(span, { end: now(), ok })
    return checkSession({ success: (r) => (settle(true), options.success?.(r)), fail: (e) => (settle(false), options.fail?.(e)) })
  }
}

function watchRequests(world: World, trace: Trace): void {
  const now = () => world.clock.now()
  const network = world.network
  const record = <T extends { ok: boolean; reason?: string }>(span: RequestSpan, sent: Promise<T>): Promise<T> => {
    trace.requests.push(span)
    return sent.then(
      (reply) => (Object.assign(span, { end: now(), ok: reply.ok, note: reply.ok ? 'ok' : reply.reason }), reply),
      (error) => {
        Object.assign(span, { end: now(), note: 'lost' })
        throw error
      },
    )
  }
  const { send, sendLogin } = network
  network.send = (payload) => record({ kind: 'data', flag: payload.sessionKeyValidFlag, start: now() }, send(payload))
  network.sendLogin = (code) => record({ kind: 'login', start: now() }, sendLogin(code))
}

function watchConsents(world: World, trace: Trace): void {
  const wechat = world.wechat
  const consent = wechat.consent.bind(wechat)
  wechat.consent = (...args) => {
    trace.taps.push({ at: world.clock.now(), retap: false })
    return consent(...args)
  }
}

/** Runs one scenario for one client on the deterministic world, recording every call, rotation, request and reply. */
export async function traceScenario(
  scenario: RaceScenario,
  client: Client,
  policies: Policies,
  createGuard: (options: SessionGuardOptions<Reply>) => SessionGuard<Reply>,
): Promise<Trace> {
  const trace = { client, taps: [], checks: [], logins: [], rotations: [], requests: [], world: [] } as unknown as Trace
  let seen: World | undefined
  trace.result = await runSideBySide(scenario, client, policies, createGuard, (world) => {
    seen = world
    watchWx(world, trace)
    watchRequests(world, trace)
    watchConsents(world, trace)
  })
  trace.rotations = (seen as World).wechat.rotations.map((r) => ({ ...r }))
  const firstTaps = new Set(trace.result.taps.map((t) => t.at))
  trace.taps.forEach((tap) => (tap.retap = !firstTaps.has(tap.at)))
  trace.world = scenario.events.filter((e) => e.kind !== 'tap').map((e) => ({ at: e.at, kind: e.kind }))
  return trace
}

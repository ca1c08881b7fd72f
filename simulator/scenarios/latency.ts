/**
 * What a user waits from the tap to the guard's answer, in virtual time, beside the protocol's floor:
 * the round trips the seed thread's rule cannot do without (checkSession, then the request; a login
 * when WeChat says the session is gone; a login and the request again when the server cannot open the
 * data). Deterministic: fixed latencies on the simulator's virtual clock.
 */
import { createSessionGuard } from '../../miniprogram_npm_src'
import type { CreateGuard } from './scenario'
import type { Policies } from '../model/wechat'
import { World, runToQuiet, timed } from '../world/world'

/** The round trips, in ms: one request to the app's server and its reply; wx.login; wx.checkSession. */
export interface RoundTrips {
  requestMs: number
  loginMs: number
  checkSessionMs: number
}

export const DEFAULT_ROUND_TRIPS: RoundTrips = { requestMs: 50, loginMs: 100, checkSessionMs: 20 }

/**
 * Logins do not rotate a live key and data consented to in an expired session is sealed with the
 * expired key: the policy under which every scenario below has one answer a tap can reach.
 */
export const LATENCY_POLICIES: Policies = { rotation: 'expired-only', expiredConsent: 'expired-key' }

export interface TapLatency {
  /** Virtual ms from the tap to the guard's answer. */
  ms: number
  floor: number
  status: string
}

export interface LatencyRow {
  scenario: string
  taps: TapLatency[]
}

interface LatencyScenario {
  name: string
  loggedIn: boolean
  /** What happens to WeChat or the server before the first tap. */
  before?: (world: World) => void
  /** When each tap happens, in ms from the start. */
  taps: number[]
  /** Each tap's floor, from the round trips. */
  floors: (t: RoundTrips) => number[]
  /** One more tap the moment the first answers, as a user does after `retry`. */
  retapAfterFirst?: boolean
}

const valid = (t: RoundTrips) => t.checkSessionMs + t.requestMs
const withLogin = (t: RoundTrips) => t.checkSessionMs + t.loginMs + t.requestMs
const recovered = (t: RoundTrips) => valid(t) + t.loginMs + t.requestMs

export const LATENCY_SCENARIOS: LatencyScenario[] = [
  { name: 'valid session', loggedIn: true, taps: [0], floors: (t) => [valid(t)] },
  { name: 'session expired', loggedIn: true, before: (w) => w.wechat.expire(), taps: [0], floors: (t) => [withLogin(t)] },
  { name: 'stale key (another device logged in)', loggedIn: true, before: (w) => w.wechat.loginElsewhere(), taps: [0], floors: (t) => [recovered(t)] },
  { name: 'key missing (server lost it)', loggedIn: true, before: (w) => w.server.loseKey(), taps: [0], floors: (t) => [recovered(t)] },
  // After `retry` the guard's own login proved the session a moment ago: the re-tap needs only its request.
  { name: 'expired, then a re-tap after retry', loggedIn: true, before: (w) => w.wechat.expire(), taps: [0], retapAfterFirst: true, floors: (t) => [withLogin(t), t.requestMs] },
  // One checkSession proves the session for the taps that follow within the rate window.
  { name: 'burst of five taps 100 ms apart', loggedIn: true, taps: [0, 100, 200, 300, 400], floors: (t) => [valid(t), t.requestMs, t.requestMs, t.requestMs, t.requestMs] },
]

async function measure(scenario: LatencyScenario, trips: RoundTrips, create: CreateGuard): Promise<LatencyRow> {
  const half = trips.requestMs / 2
  const world = new World(LATENCY_POLICIES, timed({ 'wx.login': trips.loginMs, 'wx.checkSession': trips.checkSessionMs, request: half, reply: half, 'server decrypt': 0 }), scenario.loggedIn)
  if (scenario.before) scenario.before(world)
  const guard = create({ wx: world.wx, send: world.network.send, sendLogin: world.network.sendLogin, clock: world.clock, timeout: 10000 })
  const measured: { start: number; end?: number; status?: string }[] = []
  const tap = () => {
    const record: { start: number; end?: number; status?: string } = { start: world.clock.now() }
    measured.push(record)
    return guard.getPhoneNumber(world.wechat.consent(`tap-${measured.length}`).detail).then((outcome) => {
      record.end = world.clock.now()
      record.status = outcome.status === 'ok' ? 'ok' : `${outcome.status} ${'reason' in outcome ? outcome.reason : outcome.errMsg}`
    })
  }
  scenario.taps.forEach((at, index) =>
    world.clock.setTimeout(() => {
      const done = tap()
      if (index === 0 && scenario.retapAfterFirst) void done.then(tap)
    }, at),
  )
  await runToQuiet(world.clock)
  const floors = scenario.floors(trips)
  return {
    scenario: scenario.name,
    taps: measured.map((m, i) => ({ ms: (m.end as number) - m.start, floor: floors[i], status: m.status as string })),
  }
}

/** The latency of every scenario above with these round trips. */
export async function latencyTable(trips: RoundTrips = DEFAULT_ROUND_TRIPS, create: CreateGuard = createSessionGuard): Promise<LatencyRow[]> {
  const rows: LatencyRow[] = []
  for (const scenario of LATENCY_SCENARIOS) rows.push(await measure(scenario, trips, create))
  return rows
}

export function describeLatency(rows: LatencyRow[], trips: RoundTrips): string {
  const list = (xs: (number | string)[]) => xs.join('/')
  return [
    `Latency from tap to answer, virtual ms (request RTT ${trips.requestMs}, wx.login ${trips.loginMs}, wx.checkSession ${trips.checkSessionMs}; WeChat ${LATENCY_POLICIES.rotation}/${LATENCY_POLICIES.expiredConsent}):`,
    `  ${'scenario'.padEnd(40)} ${'guard'.padEnd(20)} ${'floor'.padEnd(20)} answers`,
    ...rows.map(
      (row) =>
        `  ${row.scenario.padEnd(40)} ${list(row.taps.map((t) => t.ms)).padEnd(20)} ${list(row.taps.map((t) => t.floor)).padEnd(20)} ${list(row.taps.map((t) => t.status))}`,
    ),
  ].join('\n')
}

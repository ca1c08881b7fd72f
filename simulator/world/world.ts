import type { Scheduler } from 'fast-check'
import type { Clock } from '../../miniprogram_npm_src/primitives/clock'
import type { WxLike } from '../../miniprogram_npm_src/wire/wx-api'
import { AppServer } from './app-server'
import { Network } from './network'
import { ThreadServer } from './thread-server'
import { VirtualClock } from '../model/virtual-clock'
import { WeChatModel, type Later, type Policies } from '../model/wechat'
import { PROFILES, type PlatformProfile } from '../model/platforms'

/** One user, one device, one developer server, the network between them, on a virtual clock. */
export class World<C extends Clock = VirtualClock> {
  readonly clock: C
  readonly wechat: WeChatModel
  readonly server: ThreadServer
  readonly network: Network
  /** The app's own session: tokens, a business route, the phone's storage. */
  readonly app: AppServer
  /** The wx a client gets: WeChat's, watched for logins that start while a decrypt is in flight. */
  readonly wx: WxLike
  readonly violations: string[] = []

  constructor(policies: Policies, later: (clock: C) => Later, loggedIn = true, clock?: C, profile: PlatformProfile = PROFILES.weixin) {
    this.clock = clock || (new VirtualClock() as unknown as C)
    const deliver = later(this.clock)
    this.wechat = new WeChatModel(policies, this.clock, deliver, loggedIn, profile)
    this.app = new AppServer(deliver, this.clock, loggedIn)
    this.server = new ThreadServer(this.wechat, deliver, loggedIn, () => this.app.issue())
    this.network = new Network(this.wechat, this.server, deliver, this.clock)
    const platform = this.wechat.wx
    const call = profile.loginCall
    this.wx = {
      ...platform,
      [call]: (options: Parameters<WxLike['login']>[0]) => {
        if (this.network.decryptsInFlight > 0 || this.server.decryptsInFlight > 0) {
          this.violations.push(`${profile.global}.${call} invoked at ${this.clock.now()} while a decrypt was in flight`)
        }
        return (platform[call] as WxLike['login'])(options)
      },
      checkSession: (options) => platform.checkSession(options),
      ...this.app.wx,
    }
  }

  /** Every broken rule the model saw. */
  allViolations(): string[] {
    return [...this.violations, ...this.network.violations]
  }
}

/** Callbacks released by fast-check's scheduler, in whatever order it picks. */
export const scheduled =
  (s: Scheduler) =>
  (): Later =>
  (label, fn) => {
    s.schedule(Promise.resolve(label), label).then(fn)
  }

/** Callbacks on the real event loop, for tests that run in real time (components, HTTP). */
export const realTime =
  (ms = 1) =>
  (): Later =>
  (_label, fn) => {
    setTimeout(fn, ms)
  }

/** Callbacks after fixed latencies, for deterministic scenarios. */
export const timed =
  (latencies: Record<string, number>) =>
  (clock: VirtualClock): Later =>
  (label, fn) => {
    clock.setTimeout(fn, latencies[label] ?? 0)
  }

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Runs the world until nothing is left to do: scheduled callbacks first, then the next timer. */
export async function runToQuiet(clock: VirtualClock, s?: Scheduler, maxSteps = 100000): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    await macrotask()
    if (s && s.count() > 0) {
      await s.waitNext(1)
      continue
    }
    if (!clock.runNext()) {
      await macrotask()
      if ((!s || s.count() === 0) && clock.pending === 0) return
    }
  }
  throw new Error('the world did not go quiet')
}

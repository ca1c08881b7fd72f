import { Deadline } from './deadline'
import type { GuardEvent } from './events'
import type { Phase } from './login-phase'
import { LoginGate, type Release } from './login-gate'
import { RateLimiter } from './rate-limiter'
import { SingleFlight } from './single-flight'
import { TimerQueue } from './timer-queue'
import type { Clock } from './clock'
import { wxCheckSession, type WxLike } from './wx-api'

/** WeChat allows 4 wx.login + wx.checkSession calls per user per second; the margin absorbs clock skew. */
export const CALLS_PER_WINDOW = 4
export const WINDOW_MS = 1100

/**
 * What every caller on one `wx` shares: the login flight, the checkSession flight, the rate budget
 * and the hold gate. The key WeChat rotates belongs to the device, so this state does too.
 */
export class WxSession {
  readonly timers: TimerQueue
  readonly gate: LoginGate
  readonly limiter: RateLimiter
  private readonly checks = new SingleFlight<'check', boolean>()
  /** The login phase in flight, if any: one wx.login and the one request that carries its code. */
  phase: Phase | null = null
  /** wx.login calls made so far. */
  logins = 0
  /** The server may lack the current key: the next prepare() logs in. */
  needsLogin = false
  private lastValid: { at: number; logins: number } | undefined

  constructor(
    readonly api: WxLike,
    clock: Clock,
  ) {
    this.timers = new TimerQueue(clock)
    this.gate = new LoginGate(this.timers)
    this.limiter = new RateLimiter(CALLS_PER_WINDOW, WINDOW_MS, this.timers)
  }

  sawValidSession(): void {
    this.lastValid = { at: this.timers.clock.now(), logins: this.logins }
  }

  /**
   * Under a burst the rate limit would make every tap wait; a session seen valid within the last
   * window, with no login since, is still valid (WeChat keys live for days).
   */
  knownValid(): boolean {
    const seen = this.lastValid
    if (!seen || seen.logins !== this.logins) return false
    const now = this.timers.clock.now()
    return now - seen.at <= WINDOW_MS && this.limiter.delayBeforeNextCall(now) > 0
  }

  /** One wx.checkSession for all who ask meanwhile, within the rate budget. */
  checkSession(deadline: Deadline, ownMs: number, emit?: (event: GuardEvent) => void): Promise<boolean> {
    if (this.knownValid()) return Promise.resolve(true)
    const now = this.timers.clock.now()
    const { value } = this.checks.do('check', () => {
      const own = new Deadline(now + ownMs, this.timers)
      const valid = own.race(this.limiter.run(() => wxCheckSession(this.api), own), 'wx.checkSession')
      return valid.then(
        (ok) => {
          own.finish()
          if (emit) emit({ type: 'check-session', valid: ok })
          if (ok) this.sawValidSession()
          return ok
        },
        (error: unknown) => {
          own.finish()
          throw error
        },
      )
    })
    return deadline.race(value, 'wx.checkSession')
  }

  /** Waits out a login in flight, then takes a hold in the same tick, so none can start until released. */
  async holdAfterLogin(deadline: Deadline): Promise<Release> {
    while (this.phase && this.phase.invoked) {
      await deadline.race(this.phase.done, 'login in flight')
    }
    return this.gate.hold(Math.max(1, deadline.remaining()))
  }

  /** Resolves in the tick a login may be invoked: no hold left, and a rate slot claimed. */
  async claimLoginSlot(deadline: Deadline): Promise<void> {
    for (;;) {
      await this.gate.whenClear(deadline)
      await this.limiter.whenFree(deadline)
      if (this.gate.holds === 0 && this.limiter.tryClaim()) return
    }
  }

  get waiters(): number {
    return this.gate.waiting + this.limiter.waiting + this.checks.size
  }
}

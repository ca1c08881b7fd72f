import { Deadline } from '../primitives/deadline'
import type { GuardEvent } from '../wire/events'
import type { Phase } from './phase'
import { LoginGate, type Release } from '../primitives/login-gate'
import { RateLimiter } from '../primitives/rate-limiter'
import { SingleFlight } from '../primitives/single-flight'
import { TimerQueue } from '../primitives/timer-queue'
import type { Clock } from '../primitives/clock'
import { wxCheckSession, type SessionCheck, type WxLike } from '../wire/wx-api'

/** WeChat allows 4 wx.login + wx.checkSession calls per user per second; the margin absorbs clock skew. */
export const CALLS_PER_WINDOW = 4
export const WINDOW_MS = 1100
/** wx.checkSession answers locally; one that takes longer than this is treated as saying nothing. */
export const CHECK_SESSION_MS = 3000
/** A wx.login whose callback never comes stops counting as in flight after this. */
export const LOGIN_CALLBACK_CAP_MS = 60000

const sessions = new WeakMap<WxLike, WxSession>()

/**
 * What every caller on one `wx` shares: the login flight, the checkSession flight, the rate budget
 * and the hold gate. The key WeChat rotates belongs to the device, so this state does too.
 */
export class WxSession {
  readonly timers: TimerQueue
  readonly gate: LoginGate
  readonly limiter: RateLimiter
  private readonly checks = new SingleFlight<'check', SessionCheck>()
  /** A wx.login whose callback has not arrived, whatever its caller's deadline said. */
  loginCallback: Promise<unknown> | null = null
  /** Guards created on this wx. */
  guards = 0
  /** The login phase in flight, if any: one wx.login and the one request that carries its code. */
  phase: Phase | null = null
  /** wx.login calls made so far. */
  logins = 0
  /** The server may lack the current key: the next prepare() logs in. */
  needsLogin = false
  /** A login phase's code reached the server and it said so, in this run: it knows the user. */
  established = false
  private lastValid: { at: number; logins: number } | undefined

  /** The one session of this wx object, created by its first guard. */
  static of(api: WxLike, clock: Clock): WxSession {
    let session = sessions.get(api)
    if (!session) sessions.set(api, (session = new WxSession(api, clock)))
    session.guards++
    return session
  }

  private constructor(
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
   * A proof of the session (a successful checkSession, or this guard's own established login) within
   * the last rate window, with no login since, stands in for a new checkSession, whether or not the
   * budget has room: asking again would only add its round trip (WeChat keys live for days).
   */
  knownValid(): boolean {
    const seen = this.lastValid
    return !!seen && seen.logins === this.logins && this.timers.clock.now() - seen.at <= WINDOW_MS
  }

  /**
   * One wx.checkSession for all who ask meanwhile, within the rate budget and its own short bound.
   * No answer in time counts as 'unknown': the data then goes with flag '1' and recovery handles a
   * stale key, rather than a login that could rotate a valid one.
   */
  checkSession(deadline: Deadline, emit?: (event: GuardEvent) => void): Promise<SessionCheck> {
    if (this.knownValid()) return Promise.resolve('valid')
    const { value } = this.checks.do('check', () => {
      const own = Deadline.after(CHECK_SESSION_MS, this.timers)
      const answer = own.race(this.limiter.run(() => wxCheckSession(this.api), own), 'wx.checkSession')
      return answer.then(
        (result) => {
          own.finish()
          if (emit) emit({ type: 'check-session', valid: result === 'valid' })
          if (result === 'valid') this.sawValidSession()
          return result
        },
        (): SessionCheck => {
          own.finish()
          return 'unknown'
        },
      )
    })
    return deadline.race(value, 'wx.checkSession')
  }

  /** Waits out a login in flight, then takes a hold in the same tick, so none can start until released. */
  holdAfterLogin(deadline: Deadline): Promise<Release> {
    // Promise code rather than async: an async function costs a generator in the ES5 build.
    if (!this.phase || !this.phase.invoked) return Promise.resolve(this.gate.hold())
    return deadline.race(this.phase.settled, 'login in flight').then(() => this.holdAfterLogin(deadline))
  }

  /** Resolves in the tick a login may be invoked: no hold left, no wx.login awaiting its callback, a rate slot claimed. */
  claimLoginSlot(deadline: Deadline): Promise<void> {
    if (this.loginCallback) return deadline.race(this.loginCallback, 'earlier wx.login').then(() => this.claimLoginSlot(deadline))
    return this.gate
      .whenClear(deadline)
      .then(() => this.limiter.whenFree(deadline))
      .then(() => (!this.loginCallback && this.gate.holds === 0 && this.limiter.tryClaim() ? undefined : this.claimLoginSlot(deadline)))
  }

  /** Counts `login` as in flight until its callback arrives or the cap passes. */
  trackLoginCallback(login: Promise<unknown>): void {
    let cancel = () => undefined as void
    const settled: Promise<unknown> = new Promise<void>((resolve) => {
      cancel = this.timers.after(LOGIN_CALLBACK_CAP_MS, resolve)
      login.then(
        () => resolve(),
        () => resolve(),
      )
    }).then(() => {
      cancel()
      if (this.loginCallback === settled) this.loginCallback = null
    })
    this.loginCallback = settled
  }

  waiters(): number {
    return this.gate.waiting() + this.limiter.waiting() + this.checks.size()
  }
}

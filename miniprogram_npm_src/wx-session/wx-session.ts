import { Deadline, timeoutError } from '../primitives/deadline'
import type { GuardEvent } from '../wire/events'
import type { Phase } from './phase'
import { LoginGate, type Release } from '../primitives/login-gate'
import type { DeviceLock } from '../primitives/device-lock'
import { SingleFlight } from '../primitives/single-flight'
import { TimerQueue } from '../primitives/timer-queue'
import type { Clock } from '../primitives/clock'
import { buildState, WINDOW_MS, type Device } from '../wire/device-slot'
import { wxCheckSession, type SessionCheck, type WxLike } from '../wire/wx-api'
import { isObject } from '../wire/is-object'

export { CALLS_PER_WINDOW, WINDOW_MS, LOGIN_CALLBACK_CAP_MS } from '../wire/device-slot'
/** wx.checkSession answers locally; one that takes longer than this is treated as saying nothing. */
export const CHECK_SESSION_MS = 3000

const noop = () => undefined

/** What a copy of this very build left on the device, and nothing else, is taken as its session. */
const isWxSession = (value: unknown) => isObject(value) && typeof (value as WxSession).claimLoginSlot === 'function'

/**
 * What every caller on one device shares: the login flight, the checkSession flight, the rate budget
 * and the hold gate. The key WeChat rotates belongs to the device, so this state does too: every
 * guard of every copy of this build on the device holds the same one (wire/device-slot.ts), and
 * copies of other builds share its lock, so no two logins overlap and the budget is one.
 */
export class WxSession {
  readonly timers: TimerQueue
  readonly gate: LoginGate
  private readonly checks = new SingleFlight<'check', SessionCheck>()
  /** Callers waiting for the device lock to change. */
  private lockWaiters = 0
  /** Guards created on this device by this build. */
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

  /** The one session of the device `api` belongs to, created by its first guard. */
  static of(api: WxLike, clock: Clock, device: Device): WxSession {
    const session = buildState(device, 'wx', () => new WxSession(api, clock, device.lock), isWxSession)
    session.guards++
    return session
  }

  private constructor(
    readonly api: WxLike,
    clock: Clock,
    private readonly deviceLock: DeviceLock,
  ) {
    this.timers = new TimerQueue(clock)
    this.gate = new LoginGate(this.timers)
  }

  sawValidSession(): void {
    this.lastValid = { at: this.timers.clock.now(), logins: this.deviceLock.logins() }
  }

  /**
   * A proof of the session (a successful checkSession, or this guard's own established login) within
   * the last rate window, with no login since by any copy on the device, stands in for a new checkSession, whether or not the
   * budget has room: asking again would only add its round trip (WeChat keys live for days).
   */
  knownValid(): boolean {
    const seen = this.lastValid
    return !!seen && seen.logins === this.deviceLock.logins() && this.timers.clock.now() - seen.at <= WINDOW_MS
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
      const answer = own.race(this.whenChecked(own), 'wx.checkSession')
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

  /** wx.checkSession, invoked in the tick a budget slot is claimed for it. */
  private whenChecked(deadline: Deadline): Promise<SessionCheck> {
    return this.deviceLock.claim('check') ? wxCheckSession(this.api) : this.lockChange(deadline).then(() => this.whenChecked(deadline))
  }

  /**
   * Runs `invoke` with the lock's login ticket in the tick a login may be invoked: no hold left, no
   * wx.login of any copy awaiting its callback, a budget slot claimed. Resolves with what it returns.
   */
  claimLoginSlot<T>(deadline: Deadline, invoke: (ticket: number) => T): Promise<T> {
    if (this.gate.holds > 0) return this.gate.whenClear(deadline).then(() => this.claimLoginSlot(deadline, invoke))
    const ticket = this.deviceLock.claim('login')
    if (!ticket) return this.lockChange(deadline).then(() => this.claimLoginSlot(deadline, invoke))
    try {
      return Promise.resolve(invoke(ticket))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** Counts the login of `ticket` as in flight until its callback arrives (the lock caps the wait). */
  landWhenCalledBack(ticket: number, login: Promise<unknown>): void {
    const land = () => this.deviceLock.landed(ticket)
    login.then(land, land)
  }

  /** Resolves when the lock may answer otherwise; rejects at once when the budget frees no slot before the deadline. */
  private lockChange(deadline: Deadline): Promise<void> {
    if (this.deviceLock.delay() > deadline.remaining()) return Promise.reject(timeoutError('rate limit'))
    let off: () => void = noop
    const changed = new Promise<void>((resolve) => (off = this.deviceLock.listen(() => resolve())))
    this.lockWaiters++
    const done = () => {
      this.lockWaiters--
      off()
    }
    return deadline.race(changed, 'device lock').then(done, (error: unknown) => {
      done()
      throw error
    })
  }

  waiters(): number {
    return this.gate.waiting() + this.lockWaiters + this.checks.size()
  }
}

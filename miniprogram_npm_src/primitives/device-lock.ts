import { RateLimiter } from './rate-limiter'
import type { Cancel, TimerQueue } from './timer-queue'

/** 'login' for wx.login, 'check' for wx.checkSession: both count against one budget. */
export type CallKind = 'login' | 'check'

/**
 * The cross-copy contract, version 1: what every copy of the package on one device, whatever its
 * version, asks before it invokes a rate-limited login or session check. Its members never change;
 * a later contract adds members beside them. Names are unmangled in every build.
 */
export interface DeviceLock {
  readonly v: 1
  /**
   * In the tick of the call: a ticket (> 0) when a call of `kind` may go now, 0 when it may not.
   * A login ticket keeps every other login back until `landed(ticket)` or its cap.
   */
  claim(kind: CallKind): number
  /** The login of `ticket` called back, or will never call back; any other ticket is ignored. */
  landed(ticket: number): void
  /** An estimate, in ms, of the wait for a budget slot: 0 when one is free now. */
  delay(): number
  /** `wake` runs whenever a refused claim may now succeed; returns its removal. */
  listen(wake: () => void): () => void
  /** Login tickets claimed on the device so far, by every copy: a proof of the session from before the last one is stale. */
  logins(): number
}

/**
 * At most `limit` calls per `windowMs` (slots freed by timers, never by the clock) and one login at
 * a time, counted from its claim until it lands or `capMs` have really passed.
 */
export function createDeviceLock(timers: TimerQueue, limit: number, windowMs: number, capMs: number): DeviceLock {
  const budget = new RateLimiter(limit, windowMs, timers)
  let flight = 0
  let tickets = 0
  let logins = 0
  let cancelCap: Cancel | undefined
  const landed = (ticket: number) => {
    if (!flight || ticket !== flight) return
    flight = 0
    if (cancelCap) cancelCap()
    cancelCap = undefined
    budget.wakeAll()
  }
  return {
    v: 1,
    claim(kind) {
      if ((kind === 'login' && flight) || !budget.tryClaim()) return 0
      const ticket = ++tickets
      if (kind === 'login') {
        logins++
        flight = ticket
        cancelCap = timers.after(capMs, () => landed(ticket))
      }
      return ticket
    },
    landed,
    delay: () => budget.delayBeforeNextCall(timers.clock.now()),
    listen: (wake) => budget.listen(wake),
    logins: () => logins,
  }
}

/**
 * `lock` as long as it answers sensibly; from the first call that throws or answers nonsense on,
 * `fallback()`'s lock. A lock left by another build is trusted to count, never to stop this copy's
 * logins for good.
 */
export function failSafe(lock: DeviceLock, fallback: () => DeviceLock): DeviceLock {
  let own: DeviceLock | undefined
  function call<T>(use: (lock: DeviceLock) => T, sensible: (answer: T) => boolean): T {
    if (!own) {
      try {
        const answer = use(lock)
        if (sensible(answer)) return answer
      } catch {
        // Handled below, as nonsense.
      }
      own = fallback()
    }
    return use(own)
  }
  const count = (n: number) => typeof n === 'number' && n >= 0 && n < Infinity
  return {
    v: 1,
    claim: (kind) => call((l) => l.claim(kind), count),
    landed: (ticket) => call((l) => l.landed(ticket), () => true),
    delay: () => call((l) => l.delay(), count),
    listen: (wake) => call((l) => l.listen(wake), (off) => typeof off === 'function'),
    logins: () => call((l) => l.logins(), count),
  }
}

import type { Deadline } from './deadline'
import { SessionGuardError } from './errors'
import type { TimerQueue } from './timer-queue'

/**
 * At most `limit` calls in any window of `windowMs`, kept as a sliding log of
 * the last `limit` call times. Callers wait in `whenFree` (never past their
 * deadline), then claim the slot with `tryClaim` in the same tick as the call,
 * so nothing can slip in between the check and the call.
 */
export class RateLimiter {
  private readonly log: number[] = []
  private sleepers = 0

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly timers: TimerQueue,
  ) {}

  /** Resolves when a call may go now; rejects with TIMEOUT at once if that is after `deadline`. */
  async whenFree(deadline: Deadline): Promise<void> {
    for (;;) {
      const now = this.timers.clock.now()
      const wait = this.delayBeforeNextCall(now)
      if (wait === 0) return
      if (now + wait > deadline.at) {
        throw new SessionGuardError('TIMEOUT', 'rate limit: no slot before the deadline')
      }
      this.sleepers++
      try {
        await new Promise<void>((resolve) => this.timers.at(now + wait, resolve))
      } finally {
        this.sleepers--
      }
    }
  }

  /** Records a call now if the window has room. */
  tryClaim(): boolean {
    const now = this.timers.clock.now()
    if (this.delayBeforeNextCall(now) > 0) return false
    this.log.push(now)
    if (this.log.length > this.limit) this.log.shift()
    return true
  }

  /** Waits for a slot, then calls `fn` in the tick that claims it. */
  async run<T>(fn: () => T | Promise<T>, deadline: Deadline): Promise<T> {
    for (;;) {
      await this.whenFree(deadline)
      if (this.tryClaim()) return fn()
    }
  }

  delayBeforeNextCall(now: number): number {
    if (this.log.length < this.limit) return 0
    return Math.max(0, this.log[0] + this.windowMs - now)
  }

  get waiting(): number {
    return this.sleepers
  }
}

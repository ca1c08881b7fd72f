import type { Deadline } from './deadline'
import { SessionGuardError } from '../errors/errors'
import type { TimerQueue } from './timer-queue'

/**
 * At most `limit` calls in any window of `windowMs`. A claimed slot is freed by a timer that runs
 * `windowMs` after the call, never by reading the clock: timers can fire late but never early, so
 * no wall-clock step can free a slot before its window has really passed. Callers wait in
 * `whenFree` (never past their deadline), then claim the slot with `tryClaim` in the same tick as
 * the call, so nothing can slip in between the check and the call.
 */
export class RateLimiter {
  /** When each slot in use is expected back, on the guard's clock: for waiting, never for freeing. */
  private readonly busyUntil: number[] = []
  private readonly sleepers = new Set<() => void>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly timers: TimerQueue,
  ) {}

  /** Resolves when a call may go now; rejects with TIMEOUT at once if that is after `deadline`. */
  whenFree(deadline: Deadline): Promise<void> {
    if (this.busyUntil.length < this.limit) return Promise.resolve()
    if (this.timers.clock.now() + this.delayBeforeNextCall(this.timers.clock.now()) > deadline.at) {
      return Promise.reject(new SessionGuardError('TIMEOUT', 'rate limit: no slot before the deadline'))
    }
    let wake!: () => void
    const freed = new Promise<void>((resolve) => this.sleepers.add((wake = resolve)))
    let raced: Promise<void>
    try {
      raced = deadline.race(freed, 'rate limit')
    } catch (error) {
      // A deadline a caller made from a bad time: refused as a rejection, like every other answer here.
      this.sleepers.delete(wake)
      return Promise.reject(error)
    }
    // A slot freed; whether it is still free when this waiter runs is asked again.
    return raced.then(
      () => {
        this.sleepers.delete(wake)
        return this.whenFree(deadline)
      },
      (error: unknown) => {
        this.sleepers.delete(wake)
        throw error
      },
    )
  }

  /** Records a call now if the window has room. */
  tryClaim(): boolean {
    if (this.busyUntil.length >= this.limit) return false
    const { clock } = this.timers
    const until = clock.now() + this.windowMs
    this.busyUntil.push(until)
    clock.setTimeout(() => {
      this.busyUntil.splice(this.busyUntil.indexOf(until), 1)
      this.wakeAll()
    }, this.windowMs)
    return true
  }

  /** `wake` runs each time a slot frees (or `wakeAll` is called); returns its removal. */
  listen(wake: () => void): () => void {
    this.sleepers.add(wake)
    return () => {
      this.sleepers.delete(wake)
    }
  }

  /** Wakes every waiter, each of which asks again; one that throws keeps none of the others asleep. */
  wakeAll(): void {
    this.sleepers.forEach((wake) => {
      try {
        wake()
      } catch {
        // A listener from another copy of the package failed: its own concern.
      }
    })
  }

  /** Waits for a slot, then calls `fn` in the tick that claims it. */
  run<T>(fn: () => T | Promise<T>, deadline: Deadline): Promise<T> {
    return this.whenFree(deadline).then(() => (this.tryClaim() ? fn() : this.run(fn, deadline)))
  }

  /** An estimate of the wait for a slot: 0 when one is free now. */
  delayBeforeNextCall(now: number): number {
    if (this.busyUntil.length < this.limit) return 0
    return Math.max(1, Math.min(...this.busyUntil) - now)
  }

  waiting(): number {
    return this.sleepers.size
  }
}

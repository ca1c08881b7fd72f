import { SessionGuardError } from '../errors/errors'
import { finite } from './finite'
import type { Cancel, TimerQueue } from './timer-queue'

export const timeoutError = (what: string) => new SessionGuardError('TIMEOUT', what + ' timed out')

/**
 * One call's bound: every step of the call races the same deadline, so a call arms one timer
 * however many steps it takes, and `finish()` removes it.
 */
export class Deadline {
  // A step that settled stays listed: rejecting a settled promise does nothing, and the list goes with the deadline.
  private waiting: Array<() => void> = []
  private cancel: Cancel | undefined
  private expired = false

  /** The guard makes them through `after`, which checks `ms` on a clock that is always a finite number; the timer queue refuses any other `at`. */
  constructor(
    readonly at: number,
    private readonly timers: TimerQueue,
  ) {}

  static after(ms: number, timers: TimerQueue): Deadline {
    return new Deadline(timers.clock.now() + finite(ms, 'ms', 0), timers)
  }

  remaining(): number {
    return this.expired ? 0 : Math.max(0, this.at - this.timers.clock.now())
  }

  /** Settles like `work`, or rejects with TIMEOUT when the deadline passes first. */
  race<T>(work: Promise<T>, what: string): Promise<T> {
    if (this.remaining() <= 0) {
      work.catch(() => undefined)
      return Promise.reject(timeoutError(what))
    }
    if (!this.cancel) this.cancel = this.timers.at(this.at, () => this.expire())
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => reject(timeoutError(what)))
      work.then(resolve, reject)
    })
  }

  /** The call is over: its timer goes. */
  finish(): void {
    if (this.cancel) this.cancel()
    this.cancel = undefined
  }

  private expire(): void {
    this.expired = true
    this.cancel = undefined
    const waiting = this.waiting
    this.waiting = []
    for (const reject of waiting) reject()
  }
}

import type { Clock } from './clock'
import { finite, MAX_TIMER_MS } from './finite'

export type Cancel = () => void

interface Entry {
  at: number
  fn: () => void
}

/**
 * How far ahead the queue's real timer is ever armed. When the last entry goes, the timer is left to
 * fire and arm nothing rather than cleared: a burst of calls (taps, API requests) arms it once instead
 * of arming and clearing a timer per call, and a quiet queue still holds no timer longer than this,
 * which is within WeChat's rate window, the longest the guard keeps a timer after its last call.
 */
export const TIMER_STEP_MS = 1000

/**
 * Every bound the guard keeps (call deadlines, hold caps, waits) on one real timer, armed for the
 * earliest entry or TIMER_STEP_MS, whichever comes first. A timer is not a clock: when it fires, the
 * clock says what is due, and anything not yet due is simply re-armed.
 */
export class TimerQueue {
  private readonly entries = new Set<Entry>()
  private handle: unknown
  private armedAt = Infinity

  constructor(readonly clock: Clock) {}

  /** Runs `fn` once the clock reaches `time`, unless cancelled first. */
  at(time: number, fn: () => void): Cancel {
    const entry: Entry = { at: finite(time, 'time'), fn }
    this.entries.add(entry)
    // After a forward clock step the armed timer may lie far behind the clock: re-arm then too.
    if (time < this.armedAt || this.armedAt <= this.clock.now()) this.arm(Math.min(time, this.armedAt))
    return () => {
      this.entries.delete(entry)
    }
  }

  /**
   * Runs `fn` after `ms` have really passed, measured by a timer of its own, not by the clock: for
   * bounds a forward clock step must not cut short (hold caps, a login awaiting its callback).
   */
  after(ms: number, fn: () => void): Cancel {
    const handle = this.clock.setTimeout(fn, finite(ms, 'ms', 0, MAX_TIMER_MS))
    return () => this.clock.clearTimeout(handle)
  }

  size(): number {
    return this.entries.size
  }

  private arm(time: number): void {
    this.disarm()
    const now = this.clock.now()
    // A time further off is approached in steps: each firing re-arms for what is left.
    const delay = Math.min(TIMER_STEP_MS, Math.max(0, time - now))
    this.armedAt = now + delay
    this.handle = this.clock.setTimeout(() => this.fire(), delay)
  }

  private disarm(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle)
    this.handle = undefined
    this.armedAt = Infinity
  }

  private fire(): void {
    if (this.clock.advanceTo) this.clock.advanceTo(this.armedAt)
    this.handle = undefined
    this.armedAt = Infinity
    const now = this.clock.now()
    const due: Entry[] = []
    let next = Infinity
    this.entries.forEach((entry) => {
      if (entry.at <= now) due.push(entry)
      else if (entry.at < next) next = entry.at
    })
    for (const entry of due) this.entries.delete(entry)
    if (next < Infinity) this.arm(next)
    for (const entry of due) entry.fn()
  }
}

import type { Clock } from '../../miniprogram_npm_src/primitives/clock'

const MAX_DELAY_MS = 2147483647

interface Timer {
  at: number
  seq: number
  fn: () => void
}

/** A clock that only moves when the test says so; counts live timers so leaks show. */
export class VirtualClock implements Clock {
  private time = 0
  private seq = 0
  private readonly timers = new Map<number, Timer>()

  now(): number {
    return this.time
  }

  /** As JS engines do: the delay is coerced to a number, and one past 2^31-1 ms (or NaN) fires at once. */
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq
    const delay = Number(ms)
    this.timers.set(id, { at: this.time + (delay > MAX_DELAY_MS || delay !== delay ? 1 : Math.max(0, delay)), seq: id, fn })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }

  /** The device's wall clock as the user set it: stepped by `stepWall`, timers unaffected. */
  readonly device: Clock = {
    now: () => this.time + this.wallOffset,
    setTimeout: (fn, ms) => this.setTimeout(fn, ms),
    clearTimeout: (handle) => this.clearTimeout(handle),
  }

  private wallOffset = 0

  /** The user sets the device clock forward (ms > 0) or back (ms < 0). */
  stepWall(ms: number): void {
    this.wallOffset += ms
  }

  /**
   * The mini program goes to the background: its JS thread stops for `ms` while time passes, so
   * every timer due meanwhile fires late, all at once, when it returns.
   */
  suspend(ms: number): void {
    this.time += ms
  }

  get pending(): number {
    return this.timers.size
  }

  /** Moves to the earliest timer and runs it; false when none is left. */
  runNext(): boolean {
    let next: [number, Timer] | undefined
    for (const entry of this.timers) {
      if (!next || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[1].seq < next[1].seq)) next = entry
    }
    if (!next) return false
    this.timers.delete(next[0])
    this.time = Math.max(this.time, next[1].at)
    next[1].fn()
    return true
  }
}

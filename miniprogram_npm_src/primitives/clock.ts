import { isFiniteNumber } from './finite'

/** The time source the guard schedules with; tests pass a virtual one. */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  /** Monotonic views only: a timer armed to fire at `at` has fired, so it is at least `at` now. */
  advanceTo?(at: number): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/**
 * The device clock is the user's and can be stepped either way. The guard's bookkeeping reads time
 * through this view, which never runs backwards: a backward step adds nothing, and time goes on from
 * there; a timer that fires proves its delay passed even where such a step hid it (`advanceTo`).
 * A forward step looks exactly like the background suspension WeChat imposes, so it counts as time
 * passed; call rates never depend on it (rate slots are freed by timers, which never fire early).
 */
export function monotonic(source: Clock): Clock {
  let lastRaw = source.now()
  let time = isFiniteNumber(lastRaw) ? lastRaw : 0
  return {
    now() {
      const raw = source.now()
      // A reading that is no finite number says nothing: no time passed.
      if (isFiniteNumber(raw)) {
        if (raw > lastRaw) time += raw - lastRaw
        lastRaw = raw
      }
      return time
    },
    advanceTo(at: number) {
      if (isFiniteNumber(at) && at > this.now()) time = at
    },
    setTimeout: (fn, ms) => source.setTimeout(fn, ms),
    clearTimeout: (handle) => source.clearTimeout(handle),
  }
}

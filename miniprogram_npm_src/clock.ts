/** The time source the guard schedules with; tests pass a virtual one. */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/**
 * The device clock is the user's and can be stepped either way. The guard's bookkeeping reads it
 * through this view, which never runs backwards: a backward step counts as no time passing, and the
 * clock goes on from there. (A forward step looks exactly like the background suspension WeChat
 * imposes, so it counts as time passed; nothing that bounds calls per second relies on it.)
 */
export function monotonic(source: Clock): Clock {
  let lastRaw = source.now()
  let time = lastRaw
  return {
    now() {
      const raw = source.now()
      if (raw > lastRaw) time += raw - lastRaw
      lastRaw = raw
      return time
    },
    setTimeout: (fn, ms) => source.setTimeout(fn, ms),
    clearTimeout: (handle) => source.clearTimeout(handle),
  }
}

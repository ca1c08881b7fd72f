import type { Deadline } from './deadline'
import type { TimerQueue } from './timer-queue'

export type Release = () => void

/**
 * Holds keep wx.login from being invoked: every flag-'1' decrypt request in
 * flight and every open consent dialog takes one. A login waits in
 * `whenClear` until no hold is left. Each hold is released at the latest after
 * its bound, so a lost callback cannot block logins forever.
 */
export class LoginGate {
  /** Holds not yet released. */
  holds = 0
  private sleepers = new Set<() => void>()

  constructor(private readonly timers: TimerQueue) {}

  /** Without `maxMs` the holder must release it itself (the guard's own calls do, in `finally`). */
  hold(maxMs?: number): Release {
    let released = false
    const release = () => {
      if (released) return
      released = true
      if (cancel) cancel()
      this.holds--
      if (this.holds === 0) this.wake()
    }
    // The cap is armed (and `maxMs` checked by the timer queue) before the hold counts.
    const cancel = maxMs === undefined ? undefined : this.timers.after(maxMs, release)
    this.holds++
    return release
  }

  /** Resolves once no hold is left; rejects with TIMEOUT when `deadline` passes first. */
  whenClear(deadline: Deadline): Promise<void> {
    if (this.holds === 0) return Promise.resolve()
    let waiter!: () => void
    const clear = new Promise<void>((resolve) => {
      waiter = resolve
      this.sleepers.add(waiter)
    })
    return deadline.race(clear, 'decrypts in flight').catch((error: unknown) => {
      this.sleepers.delete(waiter)
      throw error
    })
  }

  waiting(): number {
    return this.sleepers.size
  }

  private wake(): void {
    if (this.sleepers.size === 0) return
    const ready = this.sleepers
    this.sleepers = new Set()
    ready.forEach((resolve) => resolve())
  }
}

import type { Clock } from './clock'
import { SessionGuardError } from './errors'

export type Release = () => void

interface Waiter {
  resolve: () => void
  timer: unknown
}

/**
 * Holds keep wx.login from being invoked: every flag-'1' decrypt request in
 * flight and every open consent dialog takes one. A login waits in
 * `whenClear` until no hold is left. Each hold is released at the latest after
 * its bound, so a lost callback cannot block logins forever.
 */
export class LoginGate {
  private count = 0
  private readonly waiters = new Set<Waiter>()

  constructor(private readonly clock: Clock) {}

  hold(maxMs: number): Release {
    this.count++
    let released = false
    const release = () => {
      if (released) return
      released = true
      this.clock.clearTimeout(timer)
      this.count--
      if (this.count === 0) this.wake()
    }
    const timer = this.clock.setTimeout(release, maxMs)
    return release
  }

  /** Resolves once no hold is left; rejects with TIMEOUT at `deadline`. */
  whenClear(deadline: number): Promise<void> {
    if (this.count === 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          this.clock.clearTimeout(waiter.timer)
          resolve()
        },
        timer: this.clock.setTimeout(() => {
          this.waiters.delete(waiter)
          reject(new SessionGuardError('TIMEOUT', 'decrypts in flight outlasted the deadline'))
        }, Math.max(0, deadline - this.clock.now())),
      }
      this.waiters.add(waiter)
    })
  }

  get holds(): number {
    return this.count
  }

  get waiting(): number {
    return this.waiters.size
  }

  private wake(): void {
    const ready = [...this.waiters]
    this.waiters.clear()
    for (const waiter of ready) waiter.resolve()
  }
}

import type { Clock } from './clock'
import { SessionGuardError } from './errors'

/**
 * Settles like `work`, or rejects with a TIMEOUT error at `deadline` (a clock
 * time). The timer is cleared as soon as either side wins, so nothing lingers.
 */
export function withDeadline<T>(work: Promise<T>, deadline: number, clock: Clock, what: string): Promise<T> {
  const remaining = deadline - clock.now()
  if (remaining <= 0) {
    work.catch(() => undefined)
    return Promise.reject(new SessionGuardError('TIMEOUT', `${what} timed out`))
  }
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      reject(new SessionGuardError('TIMEOUT', `${what} timed out`))
    }, remaining)
    work.then(
      (value) => {
        clock.clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clock.clearTimeout(timer)
        reject(error)
      },
    )
  })
}

/** Resolves after `ms` on the given clock. */
export function sleep(ms: number, clock: Clock): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, Math.max(0, ms))
  })
}

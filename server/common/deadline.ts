/**
 * Settles like `work()`, or rejects with `onTimeout()` after `ms`; a synchronous throw becomes a
 * rejection, and the timer never outlives the call. (Two promises per call, not five: it sits on
 * every request's path.)
 */
export function withDeadline<T>(work: () => Promise<T> | T, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms)
    Promise.resolve()
      .then(work)
      .then(
        (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
  })
}

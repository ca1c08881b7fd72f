/**
 * Settles like `work()`, or rejects with `onTimeout()` after `ms`; a synchronous throw becomes a
 * rejection, and the timer never outlives the call.
 */
export function withDeadline<T>(work: () => Promise<T> | T, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
  })
  return Promise.race([Promise.resolve().then(work), deadline]).finally(() => clearTimeout(timer))
}

/**
 * One pending promise per key, shared by every caller while it is pending and
 * forgotten the moment it settles (p-memoize's map, Go singleflight's API).
 */
export class SingleFlight<K, V> {
  private readonly flights = new Map<K, Promise<V>>()

  /** Runs `fn` unless a call for `key` is pending; `shared` says which happened. */
  do(key: K, fn: () => Promise<V>): { value: Promise<V>; shared: boolean } {
    const existing = this.flights.get(key)
    if (existing) return { value: existing, shared: true }
    const value = Promise.resolve().then(fn)
    this.flights.set(key, value)
    const forget = () => {
      if (this.flights.get(key) === value) this.flights.delete(key)
    }
    value.then(forget, forget)
    return { value, shared: false }
  }

  size(): number {
    return this.flights.size
  }
}

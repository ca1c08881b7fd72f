interface Entry<T> {
  value: T
  expiresAt: number
}

/**
 * A Map kept in order of expiry for one TTL: a renewed entry moves to the end,
 * so expired entries are always at the front and each sweep step is O(1).
 */
export class ExpiringMap<T> {
  private readonly entries = new Map<string, Entry<T>>()

  get size(): number {
    return this.entries.size
  }

  get(key: string, now: number): Entry<T> | undefined {
    const entry = this.entries.get(key)
    return entry && entry.expiresAt > now ? entry : undefined
  }

  put(key: string, value: T, expiresAt: number): void {
    this.entries.delete(key)
    this.entries.set(key, { value, expiresAt })
  }

  delete(key: string): void {
    this.entries.delete(key)
  }

  sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) return
      this.entries.delete(key)
    }
  }
}


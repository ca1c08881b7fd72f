/** A user's session keys: the latest exchanged one and, for a grace period, the one before it. */
export interface StoredKeys {
  current: string
  previous?: string
  /** ms timestamp when `current` replaced `previous`. */
  rotatedAt: number
}

/**
 * Where the companion keeps session keys. Implementations must make `set`
 * atomic per user (latest write wins, the replaced key becomes `previous`)
 * and `claimCode` atomic across every process that shares the store.
 */
export interface SessionKeyStore {
  get(openid: string): Promise<StoredKeys | undefined>
  set(openid: string, sessionKey: string, now: number): Promise<void>
  delete(openid: string): Promise<void>
  /** True the first time a login code is claimed; false after, until ttlMs passes. */
  claimCode(code: string, ttlMs: number, now: number): Promise<boolean>
}

/** One process's memory: for a single instance, tests and development. */
export class MemoryStore implements SessionKeyStore {
  private readonly keys = new Map<string, StoredKeys>()
  private readonly codes = new Map<string, number>()

  async get(openid: string): Promise<StoredKeys | undefined> {
    const stored = this.keys.get(openid)
    return stored && { ...stored }
  }

  async set(openid: string, sessionKey: string, now: number): Promise<void> {
    const stored = this.keys.get(openid)
    if (stored && stored.current === sessionKey) return
    this.keys.set(openid, { current: sessionKey, previous: stored && stored.current, rotatedAt: now })
  }

  async delete(openid: string): Promise<void> {
    this.keys.delete(openid)
  }

  async claimCode(code: string, ttlMs: number, now: number): Promise<boolean> {
    for (const [seen, expiresAt] of this.codes) if (expiresAt <= now) this.codes.delete(seen)
    if (this.codes.has(code)) return false
    this.codes.set(code, now + ttlMs)
    return true
  }
}

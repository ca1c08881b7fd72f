import { createHash } from 'node:crypto'
import { ServerError } from '../common/errors'
import { ExpiringMap } from '../common/expiring-map'
import { positiveInteger } from '../common/options'
import { checkedExchange, placeKey, type StoredKeys } from './key-order'

export type { StoredKeys } from './key-order'

/**
 * Where the companion keeps session keys. Implementations must:
 * - order a user's keys by exchange, not by write (see `placeKey`): `set` carries when WeChat
 *   answered the exchange; the newest key is `current`, the next newest `previous`, so a write
 *   that lands late, twice, or after it was reported failed never makes an older key current;
 *   `set` is atomic per user;
 * - renew a user's keys on every read and write (they expire `keyTtlMs` after the last use);
 * - make `claimCode` atomic across every process that shares the store, refusing with a
 *   `STORE_FULL` ServerError past their cap.
 */
export interface SessionKeyStore {
  get(openid: string, now?: number): Promise<StoredKeys | undefined>
  /** `exchangedAt`: when WeChat's reply to the exchange arrived, on this server's clock (ms). */
  set(openid: string, sessionKey: string, exchangedAt: number): Promise<void>
  delete(openid: string): Promise<void>
  /** True the first time a login code is claimed; false after, until ttlMs passes. */
  claimCode(code: string, ttlMs: number, now: number): Promise<boolean>
  /** Gives a claim back: only for a code WeChat certainly did not consume. */
  releaseCode?(code: string): Promise<void>
}

export interface StoreLimits {
  /** How long an unused user's keys are kept, ms (default 7 days); every read or write renews it. */
  keyTtlMs?: number
  /** Most login codes remembered at once (default 200,000); past it new claims fail with `STORE_FULL`. */
  maxClaimedCodes?: number
}

export const DEFAULT_KEY_TTL_MS = 7 * 24 * 3600 * 1000
export const DEFAULT_MAX_CLAIMED_CODES = 200_000

/** Codes are kept as digests: fixed size whatever a client sends, and never a code that could be exchanged. */
export function codeDigest(code: string): string {
  return createHash('sha256').update(code).digest('base64')
}

export function storeFull(): ServerError {
  return new ServerError('STORE_FULL', 'too many login codes claimed in the last few minutes')
}

/** One process's memory: for a single instance, tests and development. */
export class MemoryStore implements SessionKeyStore {
  private readonly keys = new ExpiringMap<StoredKeys>()
  private readonly codes = new ExpiringMap<true>()
  private readonly keyTtlMs: number
  private readonly maxClaimedCodes: number

  constructor(options: StoreLimits = {}) {
    this.keyTtlMs = positiveInteger('keyTtlMs', options.keyTtlMs, DEFAULT_KEY_TTL_MS)
    this.maxClaimedCodes = positiveInteger('maxClaimedCodes', options.maxClaimedCodes, DEFAULT_MAX_CLAIMED_CODES)
  }

  async get(openid: string, now = Date.now()): Promise<StoredKeys | undefined> {
    this.keys.sweep(now)
    const entry = this.keys.get(openid, now)
    if (!entry) return undefined
    this.keys.put(openid, entry.value, now + this.keyTtlMs)
    return { ...entry.value }
  }

  async set(openid: string, sessionKey: string, exchangedAt: number): Promise<void> {
    checkedExchange(sessionKey, exchangedAt)
    // One process, one clock: the exchange happened a moment ago, so it serves as now.
    this.keys.sweep(exchangedAt)
    const stored = this.keys.get(openid, exchangedAt)?.value
    this.keys.put(openid, placeKey(stored, sessionKey, exchangedAt), exchangedAt + this.keyTtlMs)
  }

  async delete(openid: string): Promise<void> {
    this.keys.delete(openid)
  }

  async claimCode(code: string, ttlMs: number, now: number): Promise<boolean> {
    this.codes.sweep(now)
    const digest = codeDigest(code)
    if (this.codes.get(digest, now)) return false
    if (this.codes.size >= this.maxClaimedCodes) throw storeFull()
    this.codes.put(digest, true, now + ttlMs)
    return true
  }

  async releaseCode(code: string): Promise<void> {
    this.codes.delete(codeDigest(code))
  }
}

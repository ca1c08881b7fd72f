import { ServerError } from '../common/errors'
import { nonNegativeInteger, positiveInteger } from '../common/options'
import { checkedExchange } from './key-order'
import { checkedPrefix, claimKeys, claimsPerShard, legacyUserKey, userKey } from './redis-keys'
import { CLAIM, DEL, DEL_IF_UNCHANGED, GET, SET } from './redis-scripts'
import { DEFAULT_KEY_TTL_MS, DEFAULT_MAX_CLAIMED_CODES, storeFull, type SessionKeyStore, type StoreLimits, type StoredKeys } from './store'

/**
 * The one call the store needs from a Redis client (single node or cluster). For ioredis:
 *   { eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args) }
 * For node-redis 4+:
 *   { eval: (script, keys, args) => client.eval(script, { keys, arguments: args }) }
 */
export interface RedisEval {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>
}

export interface RedisStoreOptions extends StoreLimits {
  /** Before every key (default 'session-guard:'); an unclosed '{' or an empty '{}' is a CONFIG error. */
  prefix?: string
  /**
   * Read users' keys written by 0.1 (`<prefix>user:<openid>`, no hash tag) when the new key is
   * missing, merge them into it and delete them (default true). Turn off once they have expired
   * (keyTtlMs after the upgrade) to save the extra lookup on a miss.
   */
  legacyKeys?: boolean
  /** Refuse an exchange time more than this far ahead of Redis's own clock, ms (default 60,000): a host with a wrong clock would otherwise pin its keys as newest. */
  maxClockAheadMs?: number
}

type Placed = [created: number, current: string, rotatedAt: string, previous: string, previousAt: string]

function keysOf(fields: Record<string, string>): StoredKeys | undefined {
  if (!fields.current) return undefined
  const stored: StoredKeys = { current: fields.current, rotatedAt: Number(fields.rotatedAt) || 0 }
  if (fields.previous) {
    stored.previous = fields.previous
    if (fields.previousAt) stored.previousAt = Number(fields.previousAt)
  }
  return stored
}

function fieldsOf(flat: unknown): Record<string, string> {
  const fields: Record<string, string> = {}
  if (Array.isArray(flat)) for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = String(flat[i + 1])
  return fields
}

/** Session keys in Redis or Redis Cluster, for backends where one user's requests land on different processes. */
export class RedisStore implements SessionKeyStore {
  private readonly prefix: string
  private readonly keyTtlMs: number
  private readonly maxClaimedCodes: number
  private readonly legacyKeys: boolean
  private readonly maxClockAheadMs: number

  constructor(
    private readonly redis: RedisEval,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix === undefined ? 'session-guard:' : checkedPrefix(options.prefix)
    this.keyTtlMs = positiveInteger('keyTtlMs', options.keyTtlMs, DEFAULT_KEY_TTL_MS)
    this.maxClaimedCodes = positiveInteger('maxClaimedCodes', options.maxClaimedCodes, DEFAULT_MAX_CLAIMED_CODES)
    this.legacyKeys = options.legacyKeys !== false
    this.maxClockAheadMs = nonNegativeInteger('maxClockAheadMs', options.maxClockAheadMs, 60_000)
  }

  async get(openid: string): Promise<StoredKeys | undefined> {
    const stored = keysOf(fieldsOf(await this.run('get', GET, [userKey(this.prefix, openid)], [String(this.keyTtlMs)])))
    if (stored || !this.legacyKeys) return stored
    return this.adoptLegacy(openid)
  }

  async set(openid: string, sessionKey: string, exchangedAt: number): Promise<void> {
    checkedExchange(sessionKey, exchangedAt)
    const args = [String(this.keyTtlMs), String(this.maxClockAheadMs), sessionKey, String(Math.floor(exchangedAt))]
    const placed = (await this.run('set', SET, [userKey(this.prefix, openid)], args)) as Placed
    // The user's first write in the new layout: what 0.1 stored for them joins it (order does not matter).
    if (Number(placed[0]) === 1 && this.legacyKeys) await this.adoptLegacy(openid)
  }

  async delete(openid: string): Promise<void> {
    await this.run('delete', DEL, [userKey(this.prefix, openid)], [])
    if (this.legacyKeys) await this.run('delete', DEL, [legacyUserKey(this.prefix, openid)], [])
  }

  async claimCode(code: string, ttlMs: number, now: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs))
    const keys = claimKeys(this.prefix, code, Math.floor(now / ttl))
    const won = Number(await this.run('claimCode', CLAIM, keys, [String(ttl), String(claimsPerShard(this.maxClaimedCodes)), String(2 * ttl)]))
    if (won === -1) throw storeFull()
    return won === 1
  }

  async releaseCode(code: string): Promise<void> {
    await this.run('releaseCode', DEL, [claimKeys(this.prefix, code, 0)[0]], [])
  }

  /**
   * Moves a user's 0.1 key into the new one, each step one single-key script: merge by the
   * ordering rule (0.1 stored no time for `previous`: it counts as oldest), then delete the old
   * key unless a 0.1 process wrote to it meanwhile. A step repeated after a crash changes nothing.
   */
  private async adoptLegacy(openid: string): Promise<StoredKeys | undefined> {
    const legacy = fieldsOf(await this.run('get', GET, [legacyUserKey(this.prefix, openid)], [String(this.keyTtlMs)]))
    if (!legacy.current) return undefined
    const pairs = [...(legacy.previous ? [legacy.previous, '0'] : []), legacy.current, String(Number(legacy.rotatedAt) || 0)]
    const placed = (await this.run('get', SET, [userKey(this.prefix, openid)], [String(this.keyTtlMs), '', ...pairs])) as Placed
    await this.run('get', DEL_IF_UNCHANGED, [legacyUserKey(this.prefix, openid)], [legacy.current, legacy.rotatedAt ?? ''])
    return keysOf({ current: placed[1], rotatedAt: placed[2], previous: placed[3], previousAt: placed[4] })
  }

  /** A client error carries the command's arguments (a session key among them): only its kind goes up. */
  private async run(operation: string, script: string, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.eval(script, keys, args)
    } catch (error) {
      if (error instanceof Error && error.message.includes('CLOCK_AHEAD')) {
        throw new ServerError('STORE_UNAVAILABLE', `Redis ${operation} refused: this server's clock is more than ${this.maxClockAheadMs} ms ahead of Redis's (check NTP)`)
      }
      const kind = error instanceof Error ? error.name : typeof error
      throw new ServerError('STORE_UNAVAILABLE', `Redis ${operation} failed (${kind})`)
    }
  }
}

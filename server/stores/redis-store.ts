import { ServerError } from '../common/errors'
import { positiveInteger } from '../common/options'
import { codeDigest, DEFAULT_KEY_TTL_MS, DEFAULT_MAX_CLAIMED_CODES, storeFull, type SessionKeyStore, type StoreLimits, type StoredKeys } from './store'

/**
 * The one call the store needs from a Redis client. For ioredis:
 *   { eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args) }
 * For node-redis 4+:
 *   { eval: (script, keys, args) => client.eval(script, { keys, arguments: args }) }
 */
export interface RedisEval {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>
}

export interface RedisStoreOptions extends StoreLimits {
  prefix?: string
}

// Every operation is one script, so several processes see one order of writes per user.
const SET = `
local cur = redis.call('HGET', KEYS[1], 'current')
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[3]) return 0 end
if cur then redis.call('HSET', KEYS[1], 'previous', cur) else redis.call('HDEL', KEYS[1], 'previous') end
redis.call('HSET', KEYS[1], 'current', ARGV[1], 'rotatedAt', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`
// A read renews the user's keys: a user who only ever sends flag '1' keeps them.
const GET = `
local flat = redis.call('HGETALL', KEYS[1])
if #flat > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return flat`
const DEL = `return redis.call('DEL', KEYS[1])`
// Claims are counted per window of one ttl: this window's plus the last one's bound the live codes.
const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local live = tonumber(redis.call('GET', KEYS[2]) or '0') + tonumber(redis.call('GET', KEYS[3]) or '0')
if live >= tonumber(ARGV[2]) then return -1 end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1`

/** Session keys in Redis, for backends where one user's requests land on different processes. */
export class RedisStore implements SessionKeyStore {
  private readonly prefix: string
  private readonly keyTtlMs: number
  private readonly maxClaimedCodes: number

  constructor(
    private readonly redis: RedisEval,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'session-guard:'
    this.keyTtlMs = positiveInteger('keyTtlMs', options.keyTtlMs, DEFAULT_KEY_TTL_MS)
    this.maxClaimedCodes = positiveInteger('maxClaimedCodes', options.maxClaimedCodes, DEFAULT_MAX_CLAIMED_CODES)
  }

  async get(openid: string): Promise<StoredKeys | undefined> {
    const flat = (await this.run('get', GET, [this.userKey(openid)], [String(this.keyTtlMs)])) as string[] | null
    if (!flat || flat.length === 0) return undefined
    const fields: Record<string, string> = {}
    for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]] = flat[i + 1]
    if (!fields.current) return undefined
    const stored: StoredKeys = { current: fields.current, rotatedAt: Number(fields.rotatedAt) || 0 }
    if (fields.previous) stored.previous = fields.previous
    return stored
  }

  async set(openid: string, sessionKey: string, now: number): Promise<void> {
    await this.run('set', SET, [this.userKey(openid)], [sessionKey, String(now), String(this.keyTtlMs)])
  }

  async delete(openid: string): Promise<void> {
    await this.run('delete', DEL, [this.userKey(openid)], [])
  }

  async claimCode(code: string, ttlMs: number, now: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs))
    const window = Math.floor(now / ttl)
    const keys = [this.codeKey(code), `${this.prefix}claims:${window}`, `${this.prefix}claims:${window - 1}`]
    const won = Number(await this.run('claimCode', CLAIM, keys, [String(ttl), String(this.maxClaimedCodes), String(2 * ttl)]))
    if (won === -1) throw storeFull()
    return won === 1
  }

  async releaseCode(code: string): Promise<void> {
    await this.run('releaseCode', DEL, [this.codeKey(code)], [])
  }

  /** A client error carries the command's arguments (a session key among them): only its kind goes up. */
  private async run(operation: string, script: string, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.eval(script, keys, args)
    } catch (error) {
      const kind = error instanceof Error ? error.name : typeof error
      throw new ServerError('STORE_UNAVAILABLE', `Redis ${operation} failed (${kind})`)
    }
  }

  private codeKey(code: string): string {
    // Codes are stored hashed: the store never holds one that could still be exchanged.
    return `${this.prefix}code:${codeDigest(code)}`
  }

  private userKey(openid: string): string {
    return `${this.prefix}user:${openid}`
  }
}

import { createHash } from 'node:crypto'
import type { SessionKeyStore, StoredKeys } from './store'

/**
 * The one call the store needs from a Redis client. For ioredis:
 *   { eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args) }
 * For node-redis 4+:
 *   { eval: (script, keys, args) => client.eval(script, { keys, arguments: args }) }
 */
export interface RedisEval {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>
}

export interface RedisStoreOptions {
  prefix?: string
  /** How long an unused user's keys are kept, ms (default 7 days). */
  keyTtlMs?: number
}

// Every operation is one script, so several processes see one order of writes per user.
const SET = `
local cur = redis.call('HGET', KEYS[1], 'current')
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[3]) return 0 end
if cur then redis.call('HSET', KEYS[1], 'previous', cur) else redis.call('HDEL', KEYS[1], 'previous') end
redis.call('HSET', KEYS[1], 'current', ARGV[1], 'rotatedAt', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`
const GET = `return redis.call('HGETALL', KEYS[1])`
const DEL = `return redis.call('DEL', KEYS[1])`
const CLAIM = `if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return 1 else return 0 end`

/** Session keys in Redis, for backends where one user's requests land on different processes. */
export class RedisStore implements SessionKeyStore {
  private readonly prefix: string
  private readonly keyTtlMs: number

  constructor(
    private readonly redis: RedisEval,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'session-guard:'
    this.keyTtlMs = options.keyTtlMs ?? 7 * 24 * 3600 * 1000
  }

  async get(openid: string): Promise<StoredKeys | undefined> {
    const flat = (await this.redis.eval(GET, [this.userKey(openid)], [])) as string[] | null
    if (!flat || flat.length === 0) return undefined
    const fields: Record<string, string> = {}
    for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]] = flat[i + 1]
    if (!fields.current) return undefined
    const stored: StoredKeys = { current: fields.current, rotatedAt: Number(fields.rotatedAt) || 0 }
    if (fields.previous) stored.previous = fields.previous
    return stored
  }

  async set(openid: string, sessionKey: string, now: number): Promise<void> {
    await this.redis.eval(SET, [this.userKey(openid)], [sessionKey, String(now), String(this.keyTtlMs)])
  }

  async delete(openid: string): Promise<void> {
    await this.redis.eval(DEL, [this.userKey(openid)], [])
  }

  async claimCode(code: string, ttlMs: number): Promise<boolean> {
    // Codes are stored hashed: the store never holds one that could still be exchanged.
    const digest = createHash('sha256').update(code).digest('hex')
    return Number(await this.redis.eval(CLAIM, [`${this.prefix}code:${digest}`], [String(Math.max(1, Math.ceil(ttlMs)))])) === 1
  }

  private userKey(openid: string): string {
    return `${this.prefix}user:${openid}`
  }
}

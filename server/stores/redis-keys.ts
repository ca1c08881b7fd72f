import { createHash } from 'node:crypto'
import { configError } from '../common/errors'
import { codeDigest } from './store'

/**
 * Where RedisStore keeps things. Every script touches keys of one hash slot, so it runs on Redis
 * Cluster: a user's keys hash on `{openid}`; a claimed code and the counter that caps it hash on
 * the code's shard `{00}`…`{15}` (from the code's SHA-256), so claims spread over 16 slots, not one.
 */
export const CLAIM_SHARDS = 16

/** What Redis Cluster hashes a key on: the first non-empty `{…}`, else the whole key. */
export function hashedPart(key: string): string {
  const open = key.indexOf('{')
  const close = open < 0 ? -1 : key.indexOf('}', open + 1)
  return close > open + 1 ? key.slice(open + 1, close) : key
}

/**
 * The prefix, unless it would put one script's keys in different slots (a `{` never closed, `{}`):
 * every login would then fail with CROSSSLOT on a cluster. A whole tag (`app{x}:`) is accepted: every
 * key then shares that one slot.
 */
export function checkedPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string') throw configError('prefix must be a string')
  // The claim script is the one that takes several keys; one probe of it covers every code.
  const parts = claimKeys(prefix, 'probe', 1).map(hashedPart)
  if (parts.some((part) => part !== parts[0])) throw configError("prefix must not hold an unclosed '{' or an empty '{}': a script's keys would span hash slots (CROSSSLOT on Redis Cluster)")
  return prefix
}

export function userKey(prefix: string, openid: string): string {
  return `${prefix}keys:{${openid}}`
}

/** The user's key before hash tags (0.1): read once, merged into the new key, then deleted. */
export function legacyUserKey(prefix: string, openid: string): string {
  return `${prefix}user:${openid}`
}

function shardOf(code: string): string {
  return String(createHash('sha256').update(code).digest()[0] % CLAIM_SHARDS).padStart(2, '0')
}

/** A claimed code (stored hashed: never one that could still be exchanged) and its shard's counters for this ttl window and the last. */
export function claimKeys(prefix: string, code: string, window: number): [claim: string, thisWindow: string, lastWindow: string] {
  const shard = shardOf(code)
  return [`${prefix}claim:{${shard}}:${codeDigest(code)}`, `${prefix}claims:{${shard}}:${window}`, `${prefix}claims:{${shard}}:${window - 1}`]
}

/** Each shard holds its share of the cap, rounded up: the store as a whole at most CLAIM_SHARDS - 1 more. */
export function claimsPerShard(maxClaimedCodes: number): number {
  return Math.ceil(maxClaimedCodes / CLAIM_SHARDS)
}

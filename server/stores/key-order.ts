import { ServerError } from '../common/errors'

/** A user's session keys: the one WeChat answered last and, for a grace period, the one before it. */
export interface StoredKeys {
  current: string
  previous?: string
  /** When WeChat last answered an exchange with `current` (ms, the exchanging server's clock); the previous key's grace counts from it. */
  rotatedAt: number
  /** When WeChat last answered an exchange with `previous`; absent for keys written by an older version. */
  previousAt?: number
}

/**
 * The order of a user's session keys: by when WeChat answered the exchange that gave each one,
 * measured on the server that made the exchange, never by when a write reached the store. Ties
 * (the same millisecond) go to the greater key by bytes, so every store and every order of
 * arrival picks the same one. RedisStore's SET script is this function in Lua.
 */
export function isNewer(key: string, at: number, than: string, thanAt: number): boolean {
  return at > thanAt || (at === thanAt && Buffer.compare(Buffer.from(key), Buffer.from(than)) > 0)
}

/**
 * The keys after a write of `sessionKey` exchanged at `exchangedAt`. Each key counts at the latest
 * exchange that answered it; the newest is `current`, the next `previous`; older ones are dropped.
 * The result depends only on the set of writes, never on their order or repeats: a write that
 * lands late, twice, or after it was reported failed cannot make an older key current.
 */
export function placeKey(stored: StoredKeys | undefined, sessionKey: string, exchangedAt: number): StoredKeys {
  if (!stored) return { current: sessionKey, rotatedAt: exchangedAt }
  let current = { key: stored.current, at: stored.rotatedAt }
  let previous = stored.previous === undefined ? undefined : { key: stored.previous, at: stored.previousAt ?? 0 }
  if (sessionKey === current.key) current.at = Math.max(current.at, exchangedAt)
  else if (previous && sessionKey === previous.key) {
    previous.at = Math.max(previous.at, exchangedAt)
    if (isNewer(previous.key, previous.at, current.key, current.at)) [current, previous] = [previous, current]
  } else if (isNewer(sessionKey, exchangedAt, current.key, current.at)) {
    previous = current
    current = { key: sessionKey, at: exchangedAt }
  } else if (!previous || isNewer(sessionKey, exchangedAt, previous.key, previous.at)) {
    previous = { key: sessionKey, at: exchangedAt }
  }
  const next: StoredKeys = { current: current.key, rotatedAt: current.at }
  if (previous) Object.assign(next, { previous: previous.key, previousAt: previous.at })
  return next
}

/** What a store is handed is checked before it touches shared state: a key, and a time in ms that orders. */
export function checkedExchange(sessionKey: unknown, exchangedAt: unknown): void {
  if (typeof sessionKey !== 'string' || sessionKey.length === 0 || sessionKey.length > 256) throw new ServerError('BAD_INPUT', 'sessionKey must be a non-empty string')
  if (typeof exchangedAt !== 'number' || !Number.isSafeInteger(Math.floor(exchangedAt)) || exchangedAt < 0) throw new ServerError('BAD_INPUT', 'exchangedAt must be a ms timestamp')
}

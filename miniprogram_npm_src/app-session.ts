import { SessionGuardError } from './errors'
import type { WxLike, WxResponse } from './wx-api'

/** What a server reply says about the app's session. */
export interface SessionGrant {
  token: string
  /** Seconds the token lives, when the server says. */
  expiresIn?: number
}

export interface SessionOptions {
  /** Reads a token from any reply; default: a string `reply.token`, a numeric `reply.expiresIn` (seconds). */
  fromReply?: (reply: unknown) => SessionGrant | undefined
  /** Header that carries `Bearer <token>` (default 'Authorization'). */
  header?: string
  /** wx storage key the session persists under. */
  storageKey?: string
  /** Says a response means the token is no longer accepted; default: HTTP 401 or `{ ok: false, reason: 'SESSION_EXPIRED' }`. */
  isExpired?: (res: WxResponse) => boolean
}

/** The app's own login state, as the guard keeps it. */
export interface AppSession {
  /** Changes with every new or dropped token, so a caller can tell whether the token it sent is still current. */
  generation: number
  /** Set once a login succeeded without a token: this server issues none, so lacking one is no reason to log in. */
  tokenless: boolean
  /** The current token, unless the lifetime the server gave has run out. */
  token(): string | undefined
  /** `{ [header]: 'Bearer <token>' }`, or nothing without a token. */
  headers(): Record<string, string>
  /** The app wants a login before its next request: no token, and a server that issues them. */
  missing(): boolean
  /** Takes the token a reply carries, if any. */
  take(reply: unknown): boolean
  /** A login the server confirmed: its token, or the news that this server issues none. */
  loggedIn(reply: unknown): void
  /** Whether a response says the token was refused. */
  expired(res: WxResponse): boolean
  /** Drops the token, but only if it is still the one of `generation`: a newer token stays. */
  drop(generation?: number): void
}

interface Stored {
  token: string
  /** Wall-clock ms: it must survive a restart, so no monotonic source can serve here. */
  expiresAt?: number
}

export const DEFAULT_STORAGE_KEY = 'miniprogram-session-guard:session'

export function defaultFromReply(reply: unknown): SessionGrant | undefined {
  const { token, expiresIn } = (reply || {}) as SessionGrant
  return typeof token === 'string' && token ? { token, expiresIn } : undefined
}

export function defaultIsExpired(res: WxResponse): boolean {
  const body = (res && res.data) as { ok?: unknown; reason?: unknown } | undefined
  return res.statusCode === 401 || (!!body && body.ok === false && body.reason === 'SESSION_EXPIRED')
}

function option<T>(value: T | undefined, fallback: T, type: string, name: string): T {
  if (value === undefined) return fallback
  if (typeof value !== type || value === '') throw new SessionGuardError('CONFIG', `session.${name} must be a ${type}`)
  return value
}

/** Storage and app callbacks may throw; neither may break a login. */
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn()
  } catch {
    return undefined
  }
}

/** The token the app's server issued after a code exchange, persisted in wx storage. */
export function createAppSession(wx: WxLike, options: SessionOptions | false = {}, now: () => number = Date.now): AppSession {
  const off = options === false
  if (typeof options !== 'object' && !off) throw new SessionGuardError('CONFIG', 'session must be an object or false')
  const given = (options || {}) as SessionOptions
  const fromReply = option(given.fromReply, off ? () => undefined : defaultFromReply, 'function', 'fromReply')
  const isExpired = option(given.isExpired, defaultIsExpired, 'function', 'isExpired')
  const header = option(given.header, 'Authorization', 'string', 'header')
  const key = option(given.storageKey, DEFAULT_STORAGE_KEY, 'string', 'storageKey')
  let stored = off ? undefined : (attempt(() => wx.getStorageSync && wx.getStorageSync(key)) as Stored | undefined)
  if (!stored || typeof stored.token !== 'string' || !stored.token) stored = undefined

  const save = (value: Stored | undefined) => {
    stored = value
    session.generation++
    attempt(() => (value ? wx.setStorageSync && wx.setStorageSync(key, value) : wx.removeStorageSync && wx.removeStorageSync(key)))
  }

  const session: AppSession = {
    generation: 0,
    tokenless: off,
    token: () => (stored && !(typeof stored.expiresAt === 'number' && now() >= stored.expiresAt) ? stored.token : undefined),
    headers() {
      const token = session.token()
      return token ? { [header]: `Bearer ${token}` } : {}
    },
    missing: () => !session.tokenless && !session.token(),
    take(reply) {
      const grant = attempt(() => fromReply(reply))
      if (!grant || typeof grant.token !== 'string' || !grant.token) return false
      const { token, expiresIn } = grant
      save(typeof expiresIn === 'number' && expiresIn > 0 ? { token, expiresAt: now() + expiresIn * 1000 } : { token })
      return true
    },
    loggedIn(reply) {
      session.tokenless = !session.take(reply)
    },
    expired: (res) => attempt(() => isExpired(res)) === true,
    drop(generation = session.generation) {
      if (generation === session.generation && stored) save(undefined)
    },
  }
  return session
}

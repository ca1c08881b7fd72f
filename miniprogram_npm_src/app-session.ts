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
  /** Drops the token if it is still `refused` (default: whatever it is); a newer one stays. */
  drop(refused?: string): void
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

/** Storage and app callbacks may throw; neither may break a login. */
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn()
  } catch {
    return undefined
  }
}

/** The token the app's server issued after a code exchange, persisted in wx storage. */
export function createAppSession(wx: WxLike, options: SessionOptions = {}, now: () => number = Date.now): AppSession {
  const { fromReply = defaultFromReply, isExpired = defaultIsExpired, header = 'Authorization', storageKey: key = DEFAULT_STORAGE_KEY } = options || {}
  if (typeof options + typeof fromReply + typeof isExpired + typeof header + typeof key !== 'objectfunctionfunctionstringstring' || !header || !key) {
    throw new SessionGuardError('CONFIG', 'invalid session option')
  }
  let stored = attempt(() => (wx.getStorageSync as (key: string) => Stored)(key))
  if (!stored || typeof stored.token !== 'string' || !stored.token) stored = undefined
  /** Set once a login succeeded without a token: this server issues none, so lacking one is no reason to log in. */
  let tokenless = false

  const save = (value: Stored | undefined) => {
    stored = value
    // A wx without storage throws here too, and the session lives in memory only.
    attempt(() => (value ? (wx.setStorageSync as (key: string, value: unknown) => void)(key, value) : (wx.removeStorageSync as (key: string) => void)(key)))
  }

  const session: AppSession = {
    token: () => (stored && !(typeof stored.expiresAt === 'number' && now() >= stored.expiresAt) ? stored.token : undefined),
    headers() {
      const token = session.token()
      return token ? { [header]: `Bearer ${token}` } : {}
    },
    missing: () => !tokenless && !session.token(),
    take(reply) {
      const { token, expiresIn } = attempt(() => fromReply(reply)) || ({} as SessionGrant)
      if (typeof token !== 'string' || !token) return false
      save((expiresIn as number) > 0 ? { token, expiresAt: now() + (expiresIn as number) * 1000 } : { token })
      return true
    },
    loggedIn(reply) {
      tokenless = !session.take(reply)
    },
    expired: (res) => attempt(() => isExpired(res)) === true,
    drop(refused) {
      if (stored && (refused === undefined || refused === stored.token)) save(undefined)
    },
  }
  return session
}

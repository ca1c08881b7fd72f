import { SessionGuardError } from '../errors/errors'
import type { WxLike, WxResponse } from '../wire/wx-api'
import { isObject } from '../wire/is-object'

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
  /**
   * Takes the token a reply carries, if any. `confirmed`: the reply confirms a login, so carrying no
   * token means this server issues none, and lacking one is then no reason to log in.
   */
  take(reply: unknown, confirmed?: boolean): void
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

/** The default reader: the reply itself, whose string `token` and numeric `expiresIn` take() picks. */
export const defaultFromReply = (reply: unknown) => reply as SessionGrant | undefined

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

interface State {
  stored?: Stored
  tokenless: boolean
}

const states = new WeakMap<WxLike, Map<string, State>>()

/** Guards on one wx share its login, so they share the token it yields too (per storage key). */
function shared(wx: WxLike, key: string): State {
  let byKey = states.get(wx)
  if (!byKey) states.set(wx, (byKey = new Map()))
  let state = byKey.get(key)
  // Whatever storage holds counts only if it has a string token (token() checks).
  if (!state) byKey.set(key, (state = { stored: attempt(() => (wx.getStorageSync as (key: string) => Stored | undefined)(key)), tokenless: false }))
  return state
}

/** The token the app's server issued after a code exchange, persisted in wx storage. */
export function createAppSession(wx: WxLike, options: SessionOptions | false = {}, now: () => number = Date.now): AppSession {
  // false: an app without session tokens (cookies, cloud functions): none is read, sent or missed.
  const off = options === false
  const given = options || {}
  const { fromReply = off ? () => undefined : defaultFromReply, isExpired = defaultIsExpired, header = 'Authorization', storageKey: key = DEFAULT_STORAGE_KEY } = given
  if (!isObject(given) || typeof fromReply !== 'function' || typeof isExpired !== 'function' || typeof header !== 'string' || typeof key !== 'string' || !header || !key) {
    throw new SessionGuardError('CONFIG', 'invalid session option')
  }
  const state = off ? { tokenless: true } : shared(wx, key)

  const save = (value: Stored | undefined) => {
    state.stored = value
    // A wx without storage throws here too, and the session lives in memory only.
    attempt(() => (value ? (wx.setStorageSync as (key: string, value: unknown) => void)(key, value) : (wx.removeStorageSync as (key: string) => void)(key)))
  }

  const session: AppSession = {
    token() {
      const { stored } = state
      return stored && typeof stored.token === 'string' && !((stored.expiresAt as number) <= now()) ? stored.token || undefined : undefined
    },
    headers() {
      const token = session.token()
      return token ? { [header]: `Bearer ${token}` } : {}
    },
    missing: () => !state.tokenless && !session.token(),
    take(reply, confirmed) {
      const { token, expiresIn } = attempt(() => fromReply(reply)) || ({} as SessionGrant)
      const carried = typeof token === 'string' && !!token
      if (carried) save({ token, expiresAt: (expiresIn as number) > 0 ? now() + (expiresIn as number) * 1000 : undefined })
      if (confirmed) state.tokenless = !carried
    },
    expired: (res) => attempt(() => isExpired(res)) === true,
    drop(refused) {
      const { stored } = state
      if (stored && (refused === undefined || refused === stored.token)) save(undefined)
    },
  }
  return session
}

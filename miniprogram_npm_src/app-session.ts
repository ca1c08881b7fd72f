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

interface Stored {
  token: string
  /** Wall-clock ms; it must survive a restart, so no monotonic source can serve here. */
  expiresAt?: number
}

export const DEFAULT_STORAGE_KEY = 'miniprogram-session-guard:session'

export function defaultFromReply(reply: unknown): SessionGrant | undefined {
  const { token, expiresIn } = (reply || {}) as { token?: unknown; expiresIn?: unknown }
  if (typeof token !== 'string' || !token) return undefined
  return typeof expiresIn === 'number' && expiresIn > 0 ? { token, expiresIn } : { token }
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

function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn()
  } catch {
    return fallback
  }
}

/**
 * The app's own login state: the token its server issued after a code exchange, persisted in wx storage.
 * `generation` changes with every new or dropped token, so a caller can tell whether the token it sent
 * is still the current one.
 */
export class AppSession {
  generation = 0
  /** Set once a login succeeded without a token: this server issues none, so lacking one is no reason to log in. */
  tokenless: boolean
  private stored: Stored | undefined
  private readonly fromReply: (reply: unknown) => SessionGrant | undefined
  private readonly isExpired: (res: WxResponse) => boolean
  private readonly headerName: string
  private readonly key: string

  constructor(
    private readonly wx: WxLike,
    options: SessionOptions | false = {},
    private readonly now: () => number = () => Date.now(),
  ) {
    this.tokenless = options === false
    if (options === false) options = { fromReply: () => undefined }
    if (typeof options !== 'object' || !options) throw new SessionGuardError('CONFIG', 'session must be an object or false')
    this.fromReply = option(options.fromReply, defaultFromReply, 'function', 'fromReply')
    this.isExpired = option(options.isExpired, defaultIsExpired, 'function', 'isExpired')
    this.headerName = option(options.header, 'Authorization', 'string', 'header')
    this.key = option(options.storageKey, DEFAULT_STORAGE_KEY, 'string', 'storageKey')
    const saved = !this.tokenless && attempt(() => wx.getStorageSync && (wx.getStorageSync(this.key) as Stored), undefined)
    if (saved && typeof saved.token === 'string' && saved.token) this.stored = saved
  }

  /** The current token, unless its server-given lifetime has run out. */
  token(): string | undefined {
    const stored = this.stored
    if (stored && typeof stored.expiresAt === 'number' && !(this.now() < stored.expiresAt)) return undefined
    return stored && stored.token
  }

  /** Headers for a request to the app's server: `Bearer <token>` when there is one. */
  headers(): Record<string, string> {
    const token = this.token()
    return token ? { [this.headerName]: `Bearer ${token}` } : {}
  }

  /** The app wants a login before its next request: it has no token, and its server issues them. */
  missing(): boolean {
    return !this.tokenless && !this.token()
  }

  /** A login the server confirmed: its token, or the news that this server issues none. */
  loggedIn(reply: unknown): void {
    this.tokenless = !this.take(reply)
  }

  /** Takes the token a reply carries, if any; a broken `fromReply` counts as none. */
  take(reply: unknown): boolean {
    const grant = attempt(() => this.fromReply(reply), undefined)
    if (!grant || typeof grant.token !== 'string' || !grant.token) return false
    const { token, expiresIn } = grant
    this.save(typeof expiresIn === 'number' && expiresIn > 0 ? { token, expiresAt: this.now() + expiresIn * 1000 } : { token })
    return true
  }

  /** Whether a response says the token was refused; a broken `isExpired` counts as no. */
  expired(res: WxResponse): boolean {
    return attempt(() => this.isExpired(res) === true, false)
  }

  /** Drops the token, but only if it is still the one of `generation`: a newer token stays. */
  drop(generation = this.generation): void {
    if (generation === this.generation && this.stored) this.save(undefined)
  }

  private save(stored: Stored | undefined): void {
    this.stored = stored
    this.generation++
    const wx = this.wx
    attempt(() => (stored ? wx.setStorageSync && wx.setStorageSync(this.key, stored) : wx.removeStorageSync && wx.removeStorageSync(this.key)), undefined)
  }
}

import { SessionGuardError } from '../errors/errors'
import { isFiniteNumber } from '../primitives/finite'
import type { GuardEvent } from '../wire/events'
import type { WxLike, WxResponse } from '../wire/wx-api'
import { isObject } from '../wire/is-object'
import { buildState, type Device } from '../wire/device-slot'
import { defaultIsExpired, isUsableToken as usable } from '../wire/reply-reading'

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
  /** Counts every change of the token (taken, dropped): a response is about the token it was sent with. */
  version(): number
  /** `{ [header]: 'Bearer <token>' }`, or nothing without a token. */
  headers(): Record<string, string>
  /** The app wants a login before its next request: no token, and a server that issues them. */
  missing(): boolean
  /**
   * Takes the token a reply carries, if any. `confirmed`: the reply confirms a login, so carrying no
   * token, while none was ever seen, means this server issues none, and lacking one is then no reason to log in.
   */
  take(reply: unknown, confirmed?: boolean): void
  /** Whether a response says the token was refused. */
  expired(res: WxResponse): boolean
  /** Drops the token if it is still the one of `version` (default: whatever it is); a newer one stays. */
  drop(version?: number): void
}

interface Stored {
  token: string
  /** Wall-clock ms: it must survive a restart, so no monotonic source can serve here. */
  expiresAt?: number
}

export const DEFAULT_STORAGE_KEY = 'miniprogram-session-guard:session'

const HEADER_NAME = /^[\w!#$%&'*+.^`|~-]+$/

/** The longest life a reply's `expiresIn` gives a token, seconds: 10 years, the companion's own cap. */
export const MAX_EXPIRES_IN_SECONDS = 315360000

/**
 * When a token given `expiresIn` seconds at `now` stops being sent: a finite number of seconds above 0
 * counts, capped at 10 years (1e306 would make Infinity, which storage keeps as null); anything else
 * sets no local expiry, and the server's 401 decides.
 */
export function expiryOf(expiresIn: unknown, now: number): number | undefined {
  return isFiniteNumber(expiresIn) && expiresIn > 0 ? now + Math.min(expiresIn, MAX_EXPIRES_IN_SECONDS) * 1000 : undefined
}

/** The default reader: the reply itself, whose string `token` and numeric `expiresIn` take() picks. */
export const defaultFromReply = (reply: unknown) => reply as SessionGrant | undefined

export { defaultIsExpired }

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
  /** A token was taken or loaded: from then on a login reply without one teaches nothing. */
  seen: boolean
  version: number
  /** Storage not read yet: it is read on first need, not at creation (WeChat asks apps to keep synchronous storage calls out of launch). */
  unread?: boolean
}

/** Sessions of guards without a device (createAppSession called alone): shared per wx object. */
const states = new WeakMap<WxLike, Map<string, State>>()

const isMap = (value: unknown) => isObject(value) && typeof (value as Map<string, State>).get === 'function'

type Emit = ((event: GuardEvent) => void) | undefined

/** Guards on one wx share its login, so they share the token it yields too (per storage key). */
function shared(wx: WxLike, key: string, device?: Device): State {
  let byKey = device ? buildState(device, 'app', () => new Map<string, State>(), isMap) : states.get(wx)
  if (!byKey) states.set(wx, (byKey = new Map()))
  let state = byKey.get(key)
  if (!state) byKey.set(key, (state = { tokenless: false, seen: false, version: 0, unread: true }))
  return state
}

/**
 * The token the app's server issued after a code exchange, persisted in wx storage and read from it on
 * first need (`ready`). Storage is the user's phone: whatever else it holds there is no session, and goes.
 * `options` false: an app without session tokens (cookies, cloud functions): none is read, sent or missed.
 */
export function createAppSession(wx: WxLike, options: SessionOptions | false = {}, now: () => number = Date.now, emit?: Emit, device?: Device): AppSession {
  const off = options === false
  const given = options || {}
  const { fromReply = off ? () => undefined : defaultFromReply, isExpired = defaultIsExpired, header = 'Authorization', storageKey: key = DEFAULT_STORAGE_KEY } = given
  if (!isObject(given) || typeof fromReply !== 'function' || typeof isExpired !== 'function' || typeof header !== 'string' || typeof key !== 'string' || !HEADER_NAME.test(header) || !key) {
    throw new SessionGuardError('CONFIG', 'invalid session option')
  }
  const state: State = off ? { tokenless: true, seen: false, version: 0 } : shared(wx, key, device)
  const ready = (): State => {
    if (state.unread) {
      state.unread = false
      const raw = attempt(() => (wx.getStorageSync as (key: string) => unknown)(key)) as Stored | undefined
      const good = !!raw && usable(raw.token) && (raw.expiresAt === undefined || isFiniteNumber(raw.expiresAt))
      if (raw && !good) {
        attempt(() => (wx.removeStorageSync as (key: string) => void)(key))
        if (emit) emit({ type: 'bad-token', source: 'storage' })
      }
      if (good) state.stored = raw
      state.seen = good
    }
    return state
  }
  const save = (value: Stored | undefined) => {
    state.stored = value
    state.version++
    // A wx without storage throws here too, and the session lives in memory only.
    attempt(() => (value ? (wx.setStorageSync as (key: string, value: unknown) => void)(key, value) : (wx.removeStorageSync as (key: string) => void)(key)))
  }

  const session: AppSession = {
    token() {
      const { stored } = ready()
      return stored && !((stored.expiresAt as number) <= now()) ? stored.token : undefined
    },
    version: () => state.version,
    headers() {
      const token = session.token()
      return token ? { [header]: 'Bearer ' + token } : {}
    },
    missing: () => !state.tokenless && !session.token(),
    take(reply, confirmed) {
      ready()
      const { token, expiresIn } = attempt(() => fromReply(reply)) || ({} as SessionGrant)
      if (token === undefined || token === null || token === '') {
        if (confirmed && !state.seen) state.tokenless = true
      } else if (!usable(token)) {
        if (emit) emit({ type: 'bad-token', source: 'reply' })
      } else {
        state.seen = true
        state.tokenless = false
        save({ token, expiresAt: expiryOf(expiresIn, now()) })
      }
    },
    expired: (res) => attempt(() => isExpired(res)) === true,
    drop(version) {
      if (ready().stored && (version === undefined || version === state.version)) save(undefined)
    },
  }
  return session
}

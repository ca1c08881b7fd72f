import type { ErrorHook } from '../common/report'
import type { Platform } from '../platforms/platform'

export interface SessionTokenOptions {
  /** At least 32 characters (or bytes); every process that verifies tokens shares it. */
  sessionSecret: string | Buffer
  /**
   * The app the tokens belong to, signed into each one: a token of another app sharing the secret is
   * refused. `createHttpHandler` takes it from its handler; give it to `requireSession` too.
   */
  appId?: string
  /**
   * The platform the app runs on (default 'weixin'): off WeChat it is signed in with the appid as
   * `<platform>:<appid>`, so a token of the same appid on another platform is refused.
   */
  platform?: Platform
  /** How long a token is valid, seconds (default 1 day, at most 10 years: `MAX_SESSION_LIFETIME_SECONDS`). */
  sessionLifetimeSeconds?: number
  /**
   * For apps that keep a denylist (logout, a stolen device): true refuses the token. Sync or async,
   * bounded by `hookTimeoutMs`; a throw or a timeout refuses the token too (fail-closed).
   */
  isRevoked?: (tokenId: string, session: VerifiedSession) => boolean | Promise<boolean>
  /** Bound on isRevoked, ms (default 3000, at most 2^31-1: what a timer can wait). */
  hookTimeoutMs?: number
  /** v1 tokens (issued before 0.2): read until they expire (default), or refused at once. */
  legacyTokens?: 'until-expiry' | 'refuse'
  /** Told why a revocation check failed (the token was then refused). */
  onError?: ErrorHook
  now?: () => number
}

export interface IssuedToken {
  token: string
  /** Seconds from now. */
  expiresIn: number
}

/** What a verified token says. */
export interface VerifiedSession {
  openid: string
  /** Unique to this login: what a denylist holds. v1 tokens get `v1-` and a digest of the token. */
  tokenId: string
  /** The app it was issued for, `<platform>:<appid>` off WeChat ('' for v1 tokens and WeChat tokens issued without an appId). */
  appId: string
  /** ms; undefined for v1 tokens, which did not carry it. */
  issuedAt?: number
  /** ms */
  expiresAt: number
  /** A v1 token from before the upgrade. */
  legacy: boolean
}

export interface SessionTokens {
  /** A new token for this openid; refuses (BAD_INPUT) an openid verify() could not give back. */
  issue(openid: string): IssuedToken
  /**
   * The openid a token was issued for, or undefined when it is forged, malformed, expired or of
   * another app. With an `isRevoked` that answers a Promise this synchronous check cannot wait, so it
   * refuses: use `check()`.
   */
  verify(token: unknown): string | undefined
  /** Everything a valid token says, revocation included (async, bounded). */
  check(token: unknown): Promise<VerifiedSession | undefined>
  /** Everything a validly signed, unexpired token says, without asking isRevoked: e.g. the id to deny at logout. */
  inspect(token: unknown): VerifiedSession | undefined
}

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { withDeadline } from '../common/deadline'
import { configError, ServerError } from '../common/errors'
import { positiveInteger } from '../common/options'
import { reporter, type ErrorHook } from '../common/report'
import { audienceOf, checkedPlatform, type Platform } from '../platforms/platform'
import { isWellFormedText, MAX_APPID_CHARS, MAX_OPENID_CHARS, MAX_TOKEN_CHARS, parseToken, TOKEN_ID_BYTES, V1, v2Body, type ParsedToken } from './token-format'

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
  /** How long a token is valid, seconds (default 1 day). */
  sessionLifetimeSeconds?: number
  /**
   * For apps that keep a denylist (logout, a stolen device): true refuses the token. Sync or async,
   * bounded by `hookTimeoutMs`; a throw or a timeout refuses the token too (fail-closed).
   */
  isRevoked?: (tokenId: string, session: VerifiedSession) => boolean | Promise<boolean>
  /** Bound on isRevoked, ms (default 3000). */
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

/** Verified tokens remembered per instance: about 600 bytes each at most. */
const VERIFIED_CACHE_SIZE = 10_000

const revocationFailed = (error: unknown) =>
  error instanceof ServerError ? error : new ServerError('REVOCATION_UNAVAILABLE', `isRevoked failed (${error instanceof Error ? error.name : typeof error})`)

const isPromise = (value: unknown): value is Promise<unknown> => !!value && typeof (value as { then?: unknown }).then === 'function'

/**
 * The companion's own session tokens (token-format.ts), HMAC-SHA256 checked in constant time.
 * Stateless, so any process that shares the secret (and the appid) accepts a token another one issued.
 */
export function createSessionTokens(options: SessionTokenOptions): SessionTokens {
  const secret = options.sessionSecret
  const length = typeof secret === 'string' ? secret.length : Buffer.isBuffer(secret) ? secret.length : 0
  if (length < 32) throw configError('sessionSecret must be a string or Buffer of at least 32 characters')
  const rawAppId = options.appId ?? ''
  if (rawAppId !== '' && !isWellFormedText(rawAppId, MAX_APPID_CHARS)) throw configError('appId must be a string of 1 to 64 characters')
  const appId = audienceOf(checkedPlatform(options.platform), rawAppId)
  const lifetime = positiveInteger('sessionLifetimeSeconds', options.sessionLifetimeSeconds, 24 * 3600)
  const hookTimeoutMs = positiveInteger('hookTimeoutMs', options.hookTimeoutMs, 3000)
  if (options.isRevoked !== undefined && typeof options.isRevoked !== 'function') throw configError('isRevoked must be a function')
  if (options.legacyTokens !== undefined && options.legacyTokens !== 'until-expiry' && options.legacyTokens !== 'refuse') throw configError("legacyTokens must be 'until-expiry' or 'refuse'")
  const acceptV1 = options.legacyTokens !== 'refuse'
  const isRevoked = options.isRevoked
  const report = reporter(options.onError)
  const now = options.now || Date.now
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest('base64url')

  // A user's flag-'1' requests all carry the same string: what its signature proved is kept (by the
  // exact string, so canonical reading is unchanged); expiry and isRevoked are still asked every time.
  const verified = new Map<string, VerifiedSession>()

  function inspect(token: unknown): VerifiedSession | undefined {
    if (typeof token !== 'string') return undefined
    const known = verified.get(token)
    if (known) {
      if (known.expiresAt > now()) return known
      verified.delete(token)
      return undefined
    }
    const session = verifySignature(token)
    if (session) {
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string)
      verified.set(token, session)
    }
    return session
  }

  function verifySignature(token: string): VerifiedSession | undefined {
    const parsed: ParsedToken | undefined = parseToken(token)
    if (!parsed || (parsed.version === V1 && !acceptV1)) return undefined
    if (parsed.appId !== appId && !(parsed.version === V1 || appId === '')) return undefined
    const expected = mac(parsed.body)
    if (parsed.mac.length !== expected.length || !timingSafeEqual(Buffer.from(parsed.mac), Buffer.from(expected))) return undefined
    if (parsed.expiresAt * 1000 <= now()) return undefined
    const session: VerifiedSession = {
      openid: parsed.openid,
      tokenId: parsed.tokenId ?? `v1-${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`,
      appId: parsed.appId,
      expiresAt: parsed.expiresAt * 1000,
      legacy: parsed.version === V1,
    }
    if (parsed.issuedAt !== undefined) session.issuedAt = parsed.issuedAt * 1000
    return Object.freeze(session)
  }

  function revokedAnswer(session: VerifiedSession, answer: unknown): boolean {
    if (answer === false) return false
    if (answer !== true) report(new ServerError('REVOCATION_UNAVAILABLE', 'isRevoked answered neither true nor false'), { stage: 'revocation', openid: session.openid })
    return true
  }

  return {
    issue(openid) {
      if (!isWellFormedText(openid, MAX_OPENID_CHARS)) throw new ServerError('BAD_INPUT', `openid must be 1 to ${MAX_OPENID_CHARS} characters of well-formed Unicode`)
      const issuedAt = Math.floor(now() / 1000)
      // Rounded up: a token is never valid for less than its lifetime.
      const expiresAt = Math.ceil(now() / 1000 + lifetime)
      const tokenId = randomBytes(TOKEN_ID_BYTES).toString('base64url')
      const body = v2Body({ appId, openid, tokenId, issuedAt, expiresAt })
      const token = `${body}.${mac(body)}`
      if (token.length > MAX_TOKEN_CHARS) throw new ServerError('BAD_INPUT', 'the token would be longer than verify() reads')
      return { token, expiresIn: lifetime }
    },
    verify(token) {
      const session = inspect(token)
      if (!session) return undefined
      if (!isRevoked) return session.openid
      let answer: unknown
      try {
        answer = isRevoked(session.tokenId, session)
      } catch (error) {
        report(revocationFailed(error), { stage: 'revocation', openid: session.openid })
        return undefined
      }
      if (isPromise(answer)) {
        answer.catch(() => undefined)
        report(new ServerError('CONFIG', 'isRevoked answered a Promise to a synchronous verify(): use check()'), { stage: 'revocation', openid: session.openid })
        return undefined
      }
      return revokedAnswer(session, answer) ? undefined : session.openid
    },
    async check(token) {
      const session = inspect(token)
      if (!session || !isRevoked) return session
      try {
        const answer = await withDeadline(() => isRevoked(session.tokenId, session), hookTimeoutMs, () => new ServerError('TIMEOUT', 'isRevoked timed out'))
        return revokedAnswer(session, answer) ? undefined : session
      } catch (error) {
        report(revocationFailed(error), { stage: 'revocation', openid: session.openid })
        return undefined
      }
    },
    inspect,
  }
}

/** The token in `Authorization: Bearer <token>`, if any. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header
  const match = typeof value === 'string' ? /^Bearer +(\S+)\s*$/i.exec(value) : null
  return match ? match[1] : undefined
}

import { createHmac } from 'node:crypto'
import { configError, ServerError } from '../common/errors'
import { integerUpTo, timerMs } from '../common/options'
import { reporter, type Report } from '../common/report'
import { isWellFormedText, MAX_APPID_CHARS, MAX_TOKEN_SECONDS } from './token-format'
import type { SessionTokenOptions, VerifiedSession } from './token-types'
import { audienceOf, checkedPlatform } from '../platforms/platform'

/**
 * The longest `sessionLifetimeSeconds`: 10 years. A token's expiry is 12 decimal digits at most
 * (`MAX_TOKEN_SECONDS`), so tokens issued under this cap verify for 31,000 years of clock, and the
 * guard keeps the same cap on `expiresIn`.
 */
export const MAX_SESSION_LIFETIME_SECONDS = 10 * 365 * 24 * 3600

/** createSessionTokens' options, each checked once, when the object is made. */
export interface TokenSettings {
  appId: string
  lifetime: number
  hookTimeoutMs: number
  acceptV1: boolean
  isRevoked?: (tokenId: string, session: VerifiedSession) => boolean | Promise<boolean>
  report: Report
  /** The clock in ms, or undefined when it reads something no token can carry. */
  clock(): number | undefined
  mac(body: string): string
}

function checkedSecret(secret: unknown): string | Buffer {
  const length = typeof secret === 'string' ? secret.length : Buffer.isBuffer(secret) ? secret.length : 0
  if (length < 32) throw configError('sessionSecret must be a string or Buffer of at least 32 characters')
  return secret as string | Buffer
}

export function readTokenSettings(options: SessionTokenOptions): TokenSettings {
  const secret = checkedSecret(options.sessionSecret)
  const rawAppId = options.appId ?? ''
  if (rawAppId !== '' && !isWellFormedText(rawAppId, MAX_APPID_CHARS)) throw configError('appId must be a string of 1 to 64 characters')
  // Off WeChat the platform is signed in with the appid: a token of the same appid on another platform is refused.
  const appId = audienceOf(checkedPlatform(options.platform), rawAppId)
  if (options.isRevoked !== undefined && typeof options.isRevoked !== 'function') throw configError('isRevoked must be a function')
  if (options.legacyTokens !== undefined && options.legacyTokens !== 'until-expiry' && options.legacyTokens !== 'refuse') throw configError("legacyTokens must be 'until-expiry' or 'refuse'")
  if (options.now !== undefined && typeof options.now !== 'function') throw configError('now must be a function')
  const now = options.now || Date.now
  return {
    appId,
    lifetime: integerUpTo('sessionLifetimeSeconds', options.sessionLifetimeSeconds, 24 * 3600, MAX_SESSION_LIFETIME_SECONDS),
    hookTimeoutMs: timerMs('hookTimeoutMs', options.hookTimeoutMs, 3000),
    acceptV1: options.legacyTokens !== 'refuse',
    isRevoked: options.isRevoked,
    report: reporter(options.onError),
    // NaN, a time before 1970 or past what a token carries: no expiry can be judged against it (fail-closed).
    clock() {
      const ms = now()
      return typeof ms === 'number' && ms >= 0 && ms <= MAX_TOKEN_SECONDS * 1000 ? ms : undefined
    },
    mac: (body) => createHmac('sha256', secret).update(body).digest('base64url'),
  }
}

/** Issue's clock: a reading a token can carry with this lifetime, or a CONFIG error. */
export function issueTime(settings: TokenSettings): { issuedAt: number; expiresAt: number } {
  const ms = settings.clock()
  // Rounded up: a token is never valid for less than its lifetime.
  const expiresAt = ms === undefined ? Infinity : Math.ceil(ms / 1000 + settings.lifetime)
  if (ms === undefined || expiresAt > MAX_TOKEN_SECONDS) throw new ServerError('CONFIG', 'now() reads a time no token can carry')
  return { issuedAt: Math.floor(ms / 1000), expiresAt }
}

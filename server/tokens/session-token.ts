import { createHmac, timingSafeEqual } from 'node:crypto'
import { configError } from '../common/errors'
import { positiveInteger } from '../common/options'

export interface SessionTokenOptions {
  /** At least 32 characters (or bytes); every process that verifies tokens shares it. */
  sessionSecret: string | Buffer
  /** How long a token is valid, seconds (default 1 day). */
  sessionLifetimeSeconds?: number
  now?: () => number
}

export interface IssuedToken {
  token: string
  /** Seconds from now. */
  expiresIn: number
}

export interface SessionTokens {
  issue(openid: string): IssuedToken
  /** The openid a token was issued for, or undefined when it is forged, malformed or expired. */
  verify(token: unknown): string | undefined
}

const VERSION = 'v1'

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url')
}

/**
 * The companion's own session tokens: `v1.<openid>.<expiry>.<HMAC-SHA256>`, checked in constant time.
 * Stateless, so any process that shares the secret accepts a token another one issued.
 */
export function createSessionTokens(options: SessionTokenOptions): SessionTokens {
  const secret = options.sessionSecret
  const length = typeof secret === 'string' ? secret.length : Buffer.isBuffer(secret) ? secret.length : 0
  if (length < 32) throw configError('sessionSecret must be a string or Buffer of at least 32 characters')
  const lifetime = positiveInteger('sessionLifetimeSeconds', options.sessionLifetimeSeconds, 24 * 3600)
  const now = options.now || Date.now
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest()

  return {
    issue(openid) {
      // Rounded up: a token is never valid for less than its lifetime.
      const body = `${VERSION}.${base64url(openid)}.${Math.ceil(now() / 1000 + lifetime)}`
      return { token: `${body}.${base64url(sign(body))}`, expiresIn: lifetime }
    },
    verify(token) {
      if (typeof token !== 'string' || token.length > 512) return undefined
      const parts = token.split('.')
      if (parts.length !== 4 || parts[0] !== VERSION || !/^\d{1,12}$/.test(parts[2])) return undefined
      const given = Buffer.from(parts[3], 'base64url')
      const expected = sign(parts.slice(0, 3).join('.'))
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
      if (Number(parts[2]) * 1000 <= now()) return undefined
      const openid = Buffer.from(parts[1], 'base64url').toString('utf8')
      return openid.length > 0 && openid.length <= 128 ? openid : undefined
    },
  }
}

/** The token in `Authorization: Bearer <token>`, if any. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header
  const match = typeof value === 'string' ? /^Bearer +(\S+)\s*$/i.exec(value) : null
  return match ? match[1] : undefined
}

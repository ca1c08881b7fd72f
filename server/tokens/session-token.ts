import { randomBytes } from 'node:crypto'
import { withDeadline } from '../common/deadline'
import { ServerError } from '../common/errors'
import { isWellFormedText, MAX_OPENID_CHARS, MAX_TOKEN_CHARS, TOKEN_ID_BYTES, v2Body } from './token-format'
import { createInspector } from './token-inspector'
import { issueTime, readTokenSettings, type TokenSettings } from './token-settings'

import type { IssuedToken, SessionTokenOptions, SessionTokens, VerifiedSession } from './token-types'

export { MAX_SESSION_LIFETIME_SECONDS } from './token-settings'
export type { IssuedToken, SessionTokenOptions, SessionTokens, VerifiedSession } from './token-types'

const revocationFailed = (error: unknown) =>
  error instanceof ServerError ? error : new ServerError('REVOCATION_UNAVAILABLE', `isRevoked failed (${error instanceof Error ? error.name : typeof error})`)

const isPromise = (value: unknown): value is Promise<unknown> => !!value && typeof (value as { then?: unknown }).then === 'function'

/**
 * The companion's own session tokens (token-format.ts), HMAC-SHA256 checked in constant time.
 * Stateless, so any process that shares the secret (and the appid) accepts a token another one issued.
 * Every option is checked here (token-settings.ts): nothing it issues is refused by verify().
 */
export function createSessionTokens(options: SessionTokenOptions): SessionTokens {
  const settings = readTokenSettings(options)
  const { isRevoked, report } = settings
  const inspect = createInspector(settings)

  function revokedAnswer(session: VerifiedSession, answer: unknown): boolean {
    if (answer === false) return false
    if (answer !== true) report(new ServerError('REVOCATION_UNAVAILABLE', 'isRevoked answered neither true nor false'), { stage: 'revocation', openid: session.openid })
    return true
  }

  return {
    issue: (openid) => issue(settings, openid),
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
        const answer = await withDeadline(() => isRevoked(session.tokenId, session), settings.hookTimeoutMs, () => new ServerError('TIMEOUT', 'isRevoked timed out'))
        return revokedAnswer(session, answer) ? undefined : session
      } catch (error) {
        report(revocationFailed(error), { stage: 'revocation', openid: session.openid })
        return undefined
      }
    },
    inspect,
  }
}

function issue(settings: TokenSettings, openid: string): IssuedToken {
  if (!isWellFormedText(openid, MAX_OPENID_CHARS)) throw new ServerError('BAD_INPUT', `openid must be 1 to ${MAX_OPENID_CHARS} characters of well-formed Unicode`)
  const { issuedAt, expiresAt } = issueTime(settings)
  const tokenId = randomBytes(TOKEN_ID_BYTES).toString('base64url')
  const body = v2Body({ appId: settings.appId, openid, tokenId, issuedAt, expiresAt })
  const token = `${body}.${settings.mac(body)}`
  if (token.length > MAX_TOKEN_CHARS) throw new ServerError('BAD_INPUT', 'the token would be longer than verify() reads')
  return { token, expiresIn: settings.lifetime }
}

/** The token in `Authorization: Bearer <token>`, if any. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header
  const match = typeof value === 'string' ? /^Bearer +(\S+)\s*$/i.exec(value) : null
  return match ? match[1] : undefined
}

import { createHash, timingSafeEqual } from 'node:crypto'
import { parseToken, V1 } from './token-format'
import type { VerifiedSession } from './token-types'
import type { TokenSettings } from './token-settings'

/** Verified tokens remembered per instance: about 600 bytes each at most. */
const VERIFIED_CACHE_SIZE = 10_000

/** What a validly signed, unexpired token says, without asking isRevoked; undefined otherwise. */
export function createInspector(settings: TokenSettings): (token: unknown) => VerifiedSession | undefined {
  const { appId, acceptV1, mac } = settings

  function verifySignature(token: string, now: number): VerifiedSession | undefined {
    const parsed = parseToken(token)
    if (!parsed || (parsed.version === V1 && !acceptV1)) return undefined
    if (parsed.appId !== appId && !(parsed.version === V1 || appId === '')) return undefined
    const expected = mac(parsed.body)
    if (parsed.mac.length !== expected.length || !timingSafeEqual(Buffer.from(parsed.mac), Buffer.from(expected))) return undefined
    if (parsed.expiresAt * 1000 <= now) return undefined
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

  // A user's flag-'1' requests all carry the same string: what its signature proved is kept (by the
  // exact string, so canonical reading is unchanged); expiry and isRevoked are still asked every time.
  const verified = new Map<string, VerifiedSession>()

  return function inspect(token) {
    if (typeof token !== 'string') return undefined
    const now = settings.clock()
    if (now === undefined) return undefined
    const known = verified.get(token)
    if (known) {
      if (known.expiresAt > now) return known
      verified.delete(token)
      return undefined
    }
    const session = verifySignature(token, now)
    if (session) {
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string)
      verified.set(token, session)
    }
    return session
  }
}

/**
 * Backends that break one rule each, made from the companion's real parts: a store wrapper, a handler
 * wrapper, identity options, or a body mangled before the companion reads it. None of them answers
 * anything itself; each is the kind of mistake a backend ships.
 */
import type { OpenDataHandler, SessionKeyStore } from '../../server'
import { companion, type Breakage } from './companion-under-test'

function delegate(inner: SessionKeyStore, overrides: Partial<SessionKeyStore>): SessionKeyStore {
  return {
    get: (openid, now) => inner.get(openid, now),
    set: (openid, key, now) => inner.set(openid, key, now),
    delete: (openid) => inner.delete(openid),
    claimCode: (code, ttl, now) => inner.claimCode(code, ttl, now),
    releaseCode: (code) => (inner.releaseCode ? inner.releaseCode(code) : Promise.resolve()),
    ...overrides,
  }
}

/** "Save the key once the phone number is out": the write waits for a successful decrypt, and a failure drops it. */
function storeOnlyAfterSuccess(): Breakage {
  let pending = new Map<string, [string, number]>()
  let target: SessionKeyStore | undefined
  const settle = async (openid: string | undefined, keep: boolean) => {
    if (!openid) return
    const write = pending.get(openid)
    pending.delete(openid)
    if (write && keep && target) await target.set(openid, write[0], write[1])
  }
  return {
    store: (inner) => {
      target = inner
      pending = new Map()
      return delegate(inner, { set: async (openid, key, now) => void pending.set(openid, [key, now]) })
    },
    handler: (inner): OpenDataHandler => ({
      async openData(payload, openid, context) {
        const result = await inner.openData(payload, openid, context)
        await settle(result.openid, result.reply.ok === true)
        return result
      },
      async login(body) {
        const result = await inner.login(body)
        await settle(result.openid, result.reply.ok === true)
        return result
      },
    }),
  }
}

/** The token's openid is read without checking its signature or expiry (tokens are still the companion's own). */
function unverifiedTokens(): Breakage {
  return {
    identity: (lifetimeSeconds) => {
      const tokens = companion.createSessionTokens({ sessionSecret: 'a-session-secret-of-at-least-32-chars', sessionLifetimeSeconds: lifetimeSeconds })
      return {
        onLogin: (openid) => ({ ...tokens.issue(openid) }),
        identify: (req) => {
          const token = /^Bearer (\S+)$/.exec(String(req.headers.authorization || ''))?.[1] || ''
          // v2.<appid>.<openid>.<tokenId>.<issuedAt>.<expiresAt>.<mac>: the openid read, nothing checked.
          return Buffer.from(token.split('.')[2] || '', 'base64url').toString('utf8') || undefined
        },
      }
    },
  }
}

/** A form decoder's '+' → space, then a lenient base64 decoder that skips whitespace: nothing ever repairs it. */
function plusDecodedAsSpace(): Breakage {
  const lenient = (value: unknown) => (typeof value === 'string' ? value.replace(/\+/g, ' ').replace(/ /g, '') : value)
  return { body: (body) => ({ ...body, iv: lenient(body.iv), encryptedData: lenient(body.encryptedData) }) }
}

export interface BrokenCompanion {
  name: string
  breakage: () => Breakage
  /** The scenarios the kit must fail, exactly: the ones that test the broken rule. */
  failing: string[]
  rule: string
}

export const BROKEN_COMPANIONS: BrokenCompanion[] = [
  { name: 'no store after a failed decrypt', breakage: storeOnlyAfterSuccess, failing: ['failed-decrypt-stores-key'], rule: 'P-KEY-1' },
  {
    name: 'a code exchanged twice (login-code claims forgotten)',
    breakage: () => ({ store: (inner) => delegate(inner, { claimCode: (code, ttl, now) => (code.startsWith('phone-code:') ? inner.claimCode(code, ttl, now) : Promise.resolve(true)) }) }),
    failing: ['resent-code', 'concurrent-flag-0'],
    rule: 'P-CODE-1',
  },
  {
    name: 'no previous key',
    breakage: () => ({ store: (inner) => delegate(inner, { get: async (openid, now) => ((keys) => keys && { current: keys.current, rotatedAt: keys.rotatedAt })(await inner.get(openid, now)) }) }),
    failing: ['previous-key-grace'],
    rule: 'P-KEY-3',
  },
  { name: "'+' decoded as a space and never repaired", breakage: plusDecodedAsSpace, failing: ['plus-survives', 'space-repaired'], rule: 'P-HTTP-2' },
  { name: 'any token accepted (signature and expiry unchecked)', breakage: unverifiedTokens, failing: ['token-forged', 'token-expired'], rule: 'P-ID-3' },
  {
    name: "'ok' after the store failed (a write error swallowed)",
    breakage: () => ({
      store: (inner) =>
        delegate(inner, {
          set: async () => {
            try {
              throw new Error('READONLY You can not write against a read only replica')
            } catch {
              // swallowed: the bug
            }
          },
        }),
    }),
    // Nothing is ever stored: every scenario that needs the key on a later request fails.
    failing: ['flag-0-stores-key', 'flag-1-ok', 'failed-decrypt-stores-key', 'previous-key-grace', 'plus-survives', 'space-repaired', 'watermark-other-appid'],
    rule: 'P-KEY-1',
  },
  {
    name: 'a phone code redeemed twice (phone-code claims forgotten)',
    breakage: () => ({ store: (inner) => delegate(inner, { claimCode: (code, ttl, now) => (code.startsWith('phone-code:') ? Promise.resolve(true) : inner.claimCode(code, ttl, now)) }) }),
    failing: ['phone-code-once'],
    rule: 'P-PHONE-2',
  },
]

/**
 * Tokens that identify one session: one string per token, one token per login, nothing issued that
 * cannot be verified, bound to one app, revocable one by one; and what becomes of the v1 tokens
 * issued before the upgrade.
 */
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { createHttpHandler, createSessionTokens, requireSession, ServerError, type ErrorContext } from '../../server'
import { handlerWorld, OPENID, type HandlerWorld } from './handler-world'
import { listen, type Listening } from './http-listen'

const SECRET = 'a-session-secret-of-at-least-32-chars'
const APP = 'wx4f4bc4dec97d474b'

let clock = 1_700_000_000_000
const now = () => clock
const tokens = createSessionTokens({ sessionSecret: SECRET, appId: APP, now })

/** A token whose fields, decoded, contain both base64url-only characters ('-' and '_'). */
function tokenWithUrlAlphabet(): string {
  for (let i = 0; ; i++) {
    const { token } = tokens.issue(`>>>???${i}`)
    if (/[-_]/.test(token.split('.').slice(1, -1).join('.'))) return token
  }
}

/** The same bytes, written another way `Buffer.from(…, 'base64url')` also reads. */
const variants: [string, (token: string) => string][] = [
  ['"=" padding on the signature', (t) => t + '='],
  ['"==" padding on the signature', (t) => t + '=='],
  ['padding on an inner field', (t) => t.split('.').map((f, i) => (i === 2 ? f + '==' : f)).join('.')],
  ['the "+/" alphabet', (t) => t.replace(/-/g, '+').replace(/_/g, '/')],
  ['a junk character inserted in the signature', (t) => t.slice(0, -5) + '!' + t.slice(-5)],
  ['whitespace inside a field', (t) => t.slice(0, -5) + ' ' + t.slice(-5)],
  [
    'a changed last character that decodes to the same bytes',
    (t) => {
      const mac = t.slice(t.lastIndexOf('.') + 1)
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      const last = alphabet.indexOf(mac[mac.length - 1])
      const twin = alphabet[last ^ 1] // the low bits of the last character carry no data in 32 bytes
      return t.slice(0, -1) + twin
    },
  ],
]

describe('one string per token (canonical base64url, nothing else)', () => {
  const token = tokenWithUrlAlphabet()
  it('the token itself verifies', () => {
    expect(tokens.verify(token)).toMatch(/^>>>\?\?\?/)
  })
  it.each(variants)('refuses %s', (_name, variant) => {
    const other = variant(token)
    expect(other).not.toBe(token)
    expect(tokens.verify(other)).toBeUndefined()
    expect(tokens.inspect(other)).toBeUndefined()
  })
})

describe('one token per login', () => {
  it('two logins of one user in the same millisecond get different tokens and token ids', () => {
    const a = tokens.issue('o-1')
    const b = tokens.issue('o-1')
    expect(a.token).not.toBe(b.token)
    const [ia, ib] = [tokens.inspect(a.token), tokens.inspect(b.token)]
    expect(ia).toEqual({ openid: 'o-1', tokenId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), appId: APP, issuedAt: clock, expiresAt: clock + 86400_000, legacy: false })
    expect(ib?.tokenId).not.toBe(ia?.tokenId)
    expect([tokens.verify(a.token), tokens.verify(b.token)]).toEqual(['o-1', 'o-1'])
  })
})

describe('issue() refuses what verify() would reject', () => {
  it('a 128-character non-ASCII openid is issued and verifies (no length cap can refuse what was issued)', () => {
    const openid = '中'.repeat(128)
    expect(tokens.verify(tokens.issue(openid).token)).toBe(openid)
  })

  it.each([
    ['a lone high surrogate', 'o-\uD800'],
    ['a lone low surrogate', 'o-\uDC00'],
    ['an empty openid', ''],
    ['129 characters', 'o'.repeat(129)],
    ['not a string', 42 as unknown as string],
  ])('refuses %s with a typed BAD_INPUT error', (_name, openid) => {
    expect(() => tokens.issue(openid)).toThrow(ServerError)
    expect(() => tokens.issue(openid)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })

  it('for any string: either issue() refuses it, or verify() gives back exactly that string', () => {
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit, maxLength: 140 }), fc.string({ unit: 'grapheme', maxLength: 140 })), (openid) => {
        let token: string
        try {
          token = tokens.issue(openid).token
        } catch (error) {
          return error instanceof ServerError && error.code === 'BAD_INPUT'
        }
        return tokens.verify(token) === openid
      }),
    )
  })
})

describe('bound to one app', () => {
  it('two apps sharing a secret refuse each other’s tokens', () => {
    const other = createSessionTokens({ sessionSecret: SECRET, appId: 'wx0000000000000000', now })
    expect(other.verify(tokens.issue('o-1').token)).toBeUndefined()
    expect(tokens.verify(other.issue('o-1').token)).toBeUndefined()
  })

  it('the companion binds the appid of its handler without being told', async () => {
    const world = await handlerWorld()
    const http = await listen((req, res) => void createHttpHandler(world.handler, { sessionSecret: SECRET })(req, res))
    try {
      await world.handler.login({ code: await world.code() })
      const { detail } = world.wechat.consent('x')
      const send = (token: string) =>
        fetch(http.base + '/open-data', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData }),
          signal: AbortSignal.timeout(5000),
        }).then((r) => r.json())
      const sameApp = createSessionTokens({ sessionSecret: SECRET, appId: APP }).issue(OPENID).token
      const otherApp = createSessionTokens({ sessionSecret: SECRET, appId: 'wx0000000000000000' }).issue(OPENID).token
      expect(await send(sameApp)).toMatchObject({ ok: true })
      expect(await send(otherApp)).toEqual({ ok: false, reason: 'SESSION_KEY_MISSING' })
    } finally {
      await http.close()
      await world.fake.stop()
    }
  })
})

describe('the revocation hook', () => {
  it('refuses a token whose id the hook says is revoked, and only that one', async () => {
    const denied = new Set<string>()
    const guarded = createSessionTokens({ sessionSecret: SECRET, appId: APP, now, isRevoked: async (tokenId) => denied.has(tokenId) })
    const a = guarded.issue('o-1').token
    const b = guarded.issue('o-1').token
    denied.add(guarded.inspect(a)?.tokenId as string)
    expect(await guarded.check(a)).toBeUndefined()
    expect(await guarded.check(b)).toMatchObject({ openid: 'o-1' })
  })

  it('fails closed, within hookTimeoutMs, when the hook hangs or throws, and reports why', async () => {
    const reported: [string, ErrorContext][] = []
    const onError = (error: ServerError, context: ErrorContext) => reported.push([error.code, context])
    const hanging = createSessionTokens({ sessionSecret: SECRET, appId: APP, now, hookTimeoutMs: 50, onError, isRevoked: () => new Promise<boolean>(() => undefined) })
    const started = Date.now()
    expect(await hanging.check(hanging.issue('o-1').token)).toBeUndefined()
    expect(Date.now() - started).toBeLessThan(1000)
    const throwing = createSessionTokens({ sessionSecret: SECRET, appId: APP, now, onError, isRevoked: () => {
      throw new Error('denylist down')
    } })
    expect(await throwing.check(throwing.issue('o-1').token)).toBeUndefined()
    expect(reported).toEqual([
      ['TIMEOUT', { stage: 'revocation', openid: 'o-1' }],
      ['REVOCATION_UNAVAILABLE', { stage: 'revocation', openid: 'o-1' }],
    ])
  })

  it('a synchronous check consults a synchronous hook, and refuses when the hook answers a Promise it cannot wait for', () => {
    const sync = createSessionTokens({ sessionSecret: SECRET, appId: APP, now, isRevoked: () => true })
    expect(sync.verify(sync.issue('o-1').token)).toBeUndefined()
    const async = createSessionTokens({ sessionSecret: SECRET, appId: APP, now, isRevoked: async () => false })
    expect(async.verify(async.issue('o-1').token)).toBeUndefined()
  })

  describe('on the companion and on requireSession', () => {
    let world: HandlerWorld
    let http: Listening
    const denied = new Set<string>()
    const isRevoked = (tokenId: string) => Promise.resolve(denied.has(tokenId))
    beforeEach(async () => {
      world = await handlerWorld()
      const companion = createHttpHandler(world.handler, { sessionSecret: SECRET, isRevoked })
      const gate = requireSession({ sessionSecret: SECRET, appId: APP, isRevoked })
      http = await listen(async (req, res) => {
        if (req.url !== '/me') return void companion(req, res)
        const openid = await gate.check(req, res)
        if (openid) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, openid }))
      })
    })
    afterEach(async () => {
      await http.close()
      await world.fake.stop()
    })
    const post = (path: string, body: unknown, token?: string) =>
      fetch(http.base + path, {
        method: path === '/me' ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: path === '/me' ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))

    it('a revoked token gets SESSION_KEY_MISSING on flag 1 and 401 SESSION_EXPIRED on the app’s routes; a new login works', async () => {
      const first = (await post('/login', { code: await world.code() })).body.token as string
      const { detail } = world.wechat.consent('y')
      const flag1 = { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData }
      expect((await post('/me', undefined, first)).status).toBe(200)
      denied.add(createSessionTokens({ sessionSecret: SECRET }).inspect(first)?.tokenId as string)
      expect(await post('/open-data', flag1, first)).toEqual({ status: 200, body: { ok: false, reason: 'SESSION_KEY_MISSING' } })
      expect(await post('/me', undefined, first)).toEqual({ status: 401, body: { ok: false, reason: 'SESSION_EXPIRED' } })
      const again = (await post('/open-data', { ...flag1, code: await world.code(), sessionKeyValidFlag: '0' })).body.token as string
      expect((await post('/me', undefined, again)).status).toBe(200)
    })
  })
})

describe('v1 tokens issued before the upgrade', () => {
  const v1 = (openid: string, expirySeconds: number, secret = SECRET) => {
    const body = `v1.${Buffer.from(openid).toString('base64url')}.${expirySeconds}`
    return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
  }

  it('still verify until they expire, so an upgrade signs nobody out', () => {
    const token = v1('o-old', clock / 1000 + 60)
    expect(tokens.verify(token)).toBe('o-old')
    expect(tokens.inspect(token)).toMatchObject({ openid: 'o-old', legacy: true, tokenId: expect.stringMatching(/^v1-/) })
    clock += 60_000
    expect(tokens.verify(token)).toBeUndefined()
  })

  it('are read canonically too, and refused at once with legacyTokens: "refuse"', () => {
    const token = v1('o-old', clock / 1000 + 60)
    expect(tokens.verify(token + '=')).toBeUndefined()
    expect(tokens.verify(token.slice(0, -5) + '!' + token.slice(-5))).toBeUndefined()
    const strict = createSessionTokens({ sessionSecret: SECRET, appId: APP, now, legacyTokens: 'refuse' })
    expect(strict.verify(token)).toBeUndefined()
  })
})

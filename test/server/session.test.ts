/** The companion's own session tokens: issued after a code exchange, checked on flag 1 and on the app's routes. */
import { createHttpHandler, createSessionTokens, requireSession } from '../../server'
import { handlerWorld, OPENID, type HandlerWorld } from './handler-world'
import { listen, type Listening } from './http-listen'

const SESSION_SECRET = 'a-session-secret-of-at-least-32-chars'

describe('createSessionTokens', () => {
  let clock = 1_700_000_000_000
  const tokens = createSessionTokens({ sessionSecret: SESSION_SECRET, sessionLifetimeSeconds: 60, now: () => clock })

  it('verifies a token it issued, for its lifetime only', () => {
    const issued = tokens.issue('o-1')
    expect(issued).toEqual({ token: expect.stringMatching(/^v2\./), expiresIn: 60 })
    expect(tokens.verify(issued.token)).toBe('o-1')
    clock += 59_000
    expect(tokens.verify(issued.token)).toBe('o-1')
    clock += 1_000
    expect(tokens.verify(issued.token)).toBeUndefined()
  })

  it('refuses a token signed with another secret, or with its openid or expiry changed', () => {
    const { token } = tokens.issue('o-1')
    const [v, openid, expiry, mac] = token.split('.')
    const other = createSessionTokens({ sessionSecret: 'another-secret-of-at-least-32-chars!', now: () => clock })
    expect(tokens.verify(other.issue('o-1').token)).toBeUndefined()
    expect(tokens.verify([v, Buffer.from('o-2').toString('base64url'), expiry, mac].join('.'))).toBeUndefined()
    expect(tokens.verify([v, openid, String(Number(expiry) + 3600), mac].join('.'))).toBeUndefined()
    expect(tokens.verify([v, openid, expiry, mac.slice(0, -2)].join('.'))).toBeUndefined()
  })

  it.each([undefined, '', 'x', 'v1.a.b.c', 'v1...', 42, {}, 'v1.' + 'a'.repeat(600)])('refuses %p without throwing', (token) => {
    expect(tokens.verify(token)).toBeUndefined()
  })

  it('is accepted by another instance sharing the secret (another process)', () => {
    const elsewhere = createSessionTokens({ sessionSecret: SESSION_SECRET, now: () => clock })
    expect(elsewhere.verify(tokens.issue('o-9').token)).toBe('o-9')
  })
})

describe('createHttpHandler({ sessionSecret })', () => {
  let world: HandlerWorld
  let http: Listening
  beforeEach(async () => {
    world = await handlerWorld()
    const session = requireSession({ sessionSecret: SESSION_SECRET })
    const companion = createHttpHandler(world.handler, { sessionSecret: SESSION_SECRET, sessionLifetimeSeconds: 3600 })
    http = await listen((req, res) => {
      if (req.url !== '/me') return void companion(req, res)
      const openid = session(req, res)
      if (openid) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, openid }))
    })
  })
  afterEach(async () => {
    await http.close()
    await world.fake.stop()
  })

  const post = (path: string, body: unknown, token?: string) =>
    fetch(http.base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))
  const me = (token?: string) => fetch(http.base + '/me', { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (r) => ({ status: r.status, body: await r.json() }))
  const sealed = (tag: string) => {
    const { detail } = world.wechat.consent(tag)
    return { iv: detail.iv, encryptedData: detail.encryptedData }
  }

  it('answers a login with { ok, token, expiresIn } and identifies flag 1 from Authorization: Bearer', async () => {
    const login = await post('/login', { code: await world.code() })
    expect(login).toEqual({ status: 200, body: { ok: true, token: expect.any(String), expiresIn: 3600 } })
    const open = await post('/open-data', { code: '', sessionKeyValidFlag: '1', ...sealed('a') }, login.body.token as string)
    expect(open.body).toMatchObject({ ok: true, data: { tag: 'a' } })
    expect(open.body.token).toBeUndefined()
  })

  it('adds a token to every flag-0 reply that exchanged a code, even when the decrypt then failed', async () => {
    const ok = await post('/open-data', { code: await world.code(), sessionKeyValidFlag: '0', ...sealed('b') })
    expect(ok.body).toEqual({ ok: true, data: expect.objectContaining({ tag: 'b' }), source: 'decrypt', token: expect.any(String), expiresIn: 3600 })
    const stale = sealed('c')
    world.wechat.expire()
    await world.handler.login({ code: await world.code() })
    await world.handler.login({ code: await world.code() }) // two rotations: the sealing key is gone
    const failed = await post('/open-data', { code: await world.code(), sessionKeyValidFlag: '0', ...stale })
    expect(failed.body).toMatchObject({ ok: false, reason: 'DECRYPT_FAILED', token: expect.any(String) })
  })

  it('answers a forged, expired or missing token on open-data with SESSION_KEY_MISSING, so the guard sends a fresh code in the same tap', async () => {
    await post('/login', { code: await world.code() })
    const forged = createSessionTokens({ sessionSecret: 'not-the-server-secret-but-32-chars-long' }).issue(OPENID).token
    const expired = createSessionTokens({ sessionSecret: SESSION_SECRET, now: () => Date.now() - 2 * 86400_000 }).issue(OPENID).token
    for (const token of [forged, expired, undefined]) {
      expect(await post('/open-data', { code: '', sessionKeyValidFlag: '1', ...sealed('d') }, token)).toEqual({ status: 200, body: { ok: false, reason: 'SESSION_KEY_MISSING' } })
    }
  })

  it("guards the app's own routes with requireSession: the openid, or 401 SESSION_EXPIRED", async () => {
    const login = await post('/login', { code: await world.code() })
    expect(await me(login.body.token as string)).toEqual({ status: 200, body: { ok: true, openid: OPENID } })
    expect(await me()).toEqual({ status: 401, body: { ok: false, reason: 'SESSION_EXPIRED' } })
    expect(await me('v1.bm9ib2R5.99999999999.AAAA')).toEqual({ status: 401, body: { ok: false, reason: 'SESSION_EXPIRED' } })
  })
})

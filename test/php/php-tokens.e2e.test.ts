/**
 * examples/php-server's session tokens, as P-ID-5's SHOULDs ask: bound to the app (two servers sharing
 * SESSION_SECRET with different WX_APPID refuse each other's tokens), one per login (two logins of one
 * user in the same second get two tokens), one spelling each. They are the companion's format, so the
 * companion's createSessionTokens, given the same secret and appid, reads them: an independent check.
 */
import { createSessionTokens } from '../../server'
import { FakeWeChat } from '../../conformance/wechat/fake-wechat'
import { describeWithPhp, PHP_SESSION_SECRET, startPhpServer, type RunningPhp } from '../support/php'
import { freePort } from '../support/redis'

const SECRET = 'php-tokens-wechat-secret'
const APP_ID = 'wx4f4bc4dec97d474b'
const OTHER_APP = 'wx00000000000000aa'

describeWithPhp()('the PHP server’s session tokens', () => {
  let wechat: FakeWeChat
  let user: string
  let app: RunningPhp
  let otherApp: RunningPhp
  let base: string
  beforeAll(async () => {
    // The kit's fake WeChat: login codes for one user, as many as the test needs, none rate-limited.
    wechat = new FakeWeChat({ appId: APP_ID, secret: SECRET })
    base = await wechat.start(await freePort())
    user = wechat.newUser()
    // Two apps on one SESSION_SECRET (startPhpServer sets the same one for both).
    ;[app, otherApp] = await Promise.all([
      startPhpServer({ WECHAT_API_BASE: base, WX_APPID: APP_ID, WX_SECRET: SECRET }),
      startPhpServer({ WECHAT_API_BASE: base, WX_APPID: OTHER_APP, WX_SECRET: SECRET }),
    ])
  }, 30000)
  afterAll(async () => {
    await Promise.all([app?.stop(), otherApp?.stop()])
    await wechat?.stop()
  })

  const code = async () => wechat.issueCode(user, {}, true).code
  const post = (server: RunningPhp, path: string, body: unknown) =>
    fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(8000) }).then(async (r) => (await r.json()) as { ok: boolean; token?: string; expiresIn?: number })
  const me = (server: RunningPhp, token: string) => fetch(server.url + '/me', { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(8000) }).then((r) => r.status)
  const login = async () => (await post(app, '/login', { code: await code() })).token as string
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  it('a token is never refused before the expiresIn it announced: issued late in a second, used just after the second turns', async () => {
    const shortLived = await startPhpServer({ WECHAT_API_BASE: base, WX_APPID: APP_ID, WX_SECRET: SECRET, SESSION_LIFETIME_SECONDS: '1' })
    try {
      const fresh = await code()
      // The last tenth of a wall-clock second (PHP's time() and this clock are the machine's).
      while (Date.now() % 1000 < 880) await sleep(5)
      const asked = Date.now()
      const reply = await post(shortLived, '/login', { code: fresh })
      expect(reply.expiresIn).toBe(1)
      await sleep(Math.max(0, Math.floor(asked / 1000) * 1000 + 1100 - Date.now()))
      expect(Date.now() - asked).toBeLessThan(1000)
      expect(await me(shortLived, reply.token as string)).toBe(200)
    } finally {
      await shortLived.stop()
    }
  })

  it('a token of one app is refused by a server of another app sharing the secret, and accepted by its own', async () => {
    const token = await login()
    expect(await me(app, token)).toBe(200)
    expect(await me(otherApp, token)).toBe(401)
  })

  it('two logins of one user in the same second get two different tokens', async () => {
    for (let attempt = 0; ; attempt++) {
      const started = Math.floor(Date.now() / 1000)
      const [a, b] = await Promise.all([login(), login()])
      // Both answered within one wall-clock second: the case a token made of (openid, expiry) alone repeats.
      if (Math.floor(Date.now() / 1000) !== started && attempt < 5) continue
      expect(a).not.toBe(b)
      expect([await me(app, a), await me(app, b)]).toEqual([200, 200])
      return
    }
  })

  it('the companion, with the same secret and appid, reads the PHP server’s tokens (and another appid does not)', async () => {
    const token = await login()
    const session = createSessionTokens({ sessionSecret: PHP_SESSION_SECRET, appId: APP_ID }).inspect(token)
    expect(session).toMatchObject({ appId: APP_ID, legacy: false, tokenId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) })
    expect(createSessionTokens({ sessionSecret: PHP_SESSION_SECRET, appId: OTHER_APP }).inspect(token)).toBeUndefined()
  })

  it.each([
    ['"=" padding on the signature', (t: string) => t + '='],
    ['the "+/" alphabet', (t: string) => t.replace(/-/g, '+').replace(/_/g, '/')],
    ['a field padded', (t: string) => t.split('.').map((f, i) => (i === 2 ? f + '==' : f)).join('.')],
  ])('one spelling per token: %s is refused', async (_name, respell) => {
    let token = await login()
    // Only a token whose fields hold '-' or '_' can be respelt in '+/': log in until one does.
    for (let i = 0; i < 20 && !/[-_]/.test(token.split('.').slice(1, -1).join('.') + token.slice(token.lastIndexOf('.'))); i++) token = await login()
    const other = respell(token)
    expect(other).not.toBe(token)
    expect(await me(app, other)).toBe(401)
  })
})

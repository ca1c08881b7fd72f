/** The example companion (`npm run example:server`): its session tokens and its protected business route. */
import { startExampleServer } from '../../example-server/companion'
import { systemClock } from '../../miniprogram_npm_src/primitives/clock'
import { WeChatModel } from '../../simulator/model/wechat'

describe('the example companion', () => {
  let companion: Awaited<ReturnType<typeof startExampleServer>>
  let wechat: WeChatModel
  beforeEach(async () => {
    wechat = new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, systemClock, (_l, fn) => fn(), false)
    companion = await startExampleServer({ wechat, sessionLifetimeSeconds: 1 })
  })
  afterEach(() => companion.close())

  const code = () => new Promise<string>((resolve) => wechat.wx.login({ success: (r) => resolve(r.code as string) }))
  const me = (token?: string) => fetch(companion.url + '/me', { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (r) => ({ status: r.status, body: await r.json() }))

  it('issues a session token at /login and serves /me only with it, until it expires', async () => {
    const login = await fetch(companion.url + '/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: await code() }) }).then((r) => r.json())
    expect(login).toEqual({ ok: true, token: expect.any(String), expiresIn: 1 })
    expect(await me(login.token)).toEqual({ status: 200, body: { ok: true, user: { id: expect.stringMatching(/^[0-9a-f]{12}$/) } } })
    expect(await me()).toEqual({ status: 401, body: { ok: false, reason: 'SESSION_EXPIRED' } })
    await new Promise((r) => setTimeout(r, 2100)) // lifetimes are whole seconds, rounded up
    expect(await me(login.token)).toEqual({ status: 401, body: { ok: false, reason: 'SESSION_EXPIRED' } })
  })
})

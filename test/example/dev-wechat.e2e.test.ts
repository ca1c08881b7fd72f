/**
 * The simulated WeChat a person drives (/dev-wechat on the example companion's port), over real HTTP:
 * what `npm run example:server`, `npm run try` and the curl walkthrough in docs/example.md rely on.
 */
import { startExampleServer } from '../../example-server/companion'
import { walkthrough } from '../../example-server/walkthrough'
import { DEV_WECHAT_HEADER } from '../../simulator/http/dev-wechat-http'
import { PolicyOptionError, policiesFrom } from '../../simulator/model/policy-names'
import type { Policies } from '../../simulator/model/wechat'

let close: () => Promise<void> = async () => undefined
afterEach(() => close())

async function companion(options: { policies?: Policies; appId?: string; appSecret?: string } = {}) {
  const started = await startExampleServer(options)
  close = started.close
  let token = ''
  const post = async (path: string, body: object = {}) => {
    const res = await fetch(started.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    })
    const reply = (await res.json()) as Record<string, unknown>
    if (typeof reply.token === 'string') token = reply.token
    return { status: res.status, header: res.headers.get(DEV_WECHAT_HEADER), reply }
  }
  const sealed = async () => (await post('/dev-wechat/consent')).reply as { iv: string; encryptedData: string }
  const state = async () => (await (await fetch(`${started.url}/dev-wechat`, { signal: AbortSignal.timeout(5000) })).json()) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
  return { ...started, post, sealed, state }
}

describe('the simulated WeChat on the companion (development only)', () => {
  it('issues login codes the companion accepts exactly once, and says in every reply that it is simulated', async () => {
    const { post } = await companion()
    const login = await post('/dev-wechat/login')
    expect(login).toMatchObject({ status: 200, header: 'development-only', reply: { errMsg: 'login:ok', simulated: true } })
    expect(await post('/login', { code: login.reply.code })).toMatchObject({ reply: { ok: true } })
    expect(await post('/login', { code: login.reply.code })).toMatchObject({ reply: { ok: false, reason: 'CODE_REJECTED' } })
  })

  it('walks the protocol: flag 1 decrypts, a key rotation makes it DECRYPT_FAILED, a fresh code with flag 0 recovers', async () => {
    const { url } = await companion()
    const steps = await walkthrough(url)
    const sends = steps.filter((s) => s.path === '/open-data')
    expect(sends.map((s) => [s.body?.sessionKeyValidFlag, s.reply.ok, s.reply.reason])).toEqual([
      ['1', true, undefined],
      ['1', false, 'DECRYPT_FAILED'],
      ['0', true, undefined],
    ])
    expect(sends[0].reply.data).toMatchObject({ phoneNumber: '13800138000' })
    expect(sends[2].reply.data).toMatchObject({ phoneNumber: '13800138000' })
    expect(steps.every((s) => s.status === 200)).toBe(true)
  })

  it('makes the companion lose its key: flag 1 then answers SESSION_KEY_MISSING', async () => {
    const { post, sealed } = await companion()
    await post('/login', { code: (await post('/dev-wechat/login')).reply.code })
    const data = await sealed()
    await post('/dev-wechat/lose-server-key')
    expect((await post('/open-data', { code: '', sessionKeyValidFlag: '1', ...data })).reply).toEqual({ ok: false, reason: 'SESSION_KEY_MISSING' })
  })

  it('expires the session: check-session fails until the next login, and counts every call', async () => {
    const { post, state } = await companion()
    await post('/dev-wechat/login')
    expect((await post('/dev-wechat/check-session')).reply.errMsg).toBe('checkSession:ok')
    await post('/dev-wechat/expire')
    expect((await post('/dev-wechat/check-session')).reply.errMsg).toMatch(/^checkSession:fail/)
    expect((await state()).calls).toEqual({ login: 1, checkSession: 2, overLimit: 0 })
  })

  it('refuses every /dev-wechat route when real credentials are set', async () => {
    const { post, url } = await companion({ appId: 'wx0000000000000000', appSecret: 'real-secret' })
    for (const route of ['login', 'consent', 'rotate-key', 'lose-server-key']) {
      expect(await post(`/dev-wechat/${route}`)).toMatchObject({ status: 403, header: null, reply: { ok: false, reason: 'SIMULATED_WECHAT_OFF' } })
    }
    expect((await fetch(`${url}/dev-wechat`, { signal: AbortSignal.timeout(5000) })).status).toBe(403)
    await expect(walkthrough(url)).rejects.toThrow(/needs the simulated WeChat/)
  })

  it('will not start with half the credentials, rather than fall back to the simulated WeChat', async () => {
    await expect(startExampleServer({ appId: 'wx0000000000000000' })).rejects.toThrow(/both WX_APPID and WX_SECRET/)
    await expect(startExampleServer({ appSecret: 'real-secret' })).rejects.toThrow(/both WX_APPID and WX_SECRET/)
  })

  it('answers 404 with the list of routes for an unknown action', async () => {
    const { post } = await companion()
    expect(await post('/dev-wechat/nope')).toMatchObject({ status: 404, reply: { reason: 'NOT_FOUND', routes: expect.arrayContaining(['consent']) } })
  })
})

describe('choosing the simulated WeChat’s policies', () => {
  it('takes flags over environment variables and defaults to the harshest rotation', () => {
    expect(policiesFrom([], {})).toEqual({ rotation: 'always', expiredConsent: 'expired-key' })
    expect(policiesFrom([], { SIM_ROTATION: 'min-period', SIM_EXPIRED_CONSENT: 'fresh-key' })).toEqual({ rotation: 'min-period', expiredConsent: 'fresh-key' })
    expect(policiesFrom(['--rotation=expired-only'], { SIM_ROTATION: 'min-period' })).toEqual({ rotation: 'expired-only', expiredConsent: 'expired-key' })
  })

  it('rejects an unknown policy with an error naming the choices', () => {
    expect(() => policiesFrom(['--rotation=sometimes'], {})).toThrow(PolicyOptionError)
    expect(() => policiesFrom([], { SIM_EXPIRED_CONSENT: 'x' })).toThrow(/expired-key, fresh-key; got "x"/)
  })

  it('runs the model under the chosen policy: with rotation only on expiry, a second login keeps the key', async () => {
    const { post, state, sealed } = await companion({ policies: { rotation: 'expired-only', expiredConsent: 'expired-key' } })
    expect((await state()).policies).toMatchObject({ rotation: 'expired-only', inWords: expect.stringContaining('only after expiry') })
    await post('/login', { code: (await post('/dev-wechat/login')).reply.code })
    const data = await sealed()
    const code = (await post('/dev-wechat/login')).reply.code
    expect((await post('/open-data', { code, sessionKeyValidFlag: '0', ...data })).reply).toMatchObject({ ok: true })
    expect((await state()).keyRotations).toBe(1)
  })
})

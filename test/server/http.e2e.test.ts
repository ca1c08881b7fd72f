/**
 * End to end over real HTTP on loopback: the built client guard → the built
 * server companion → a fake WeChat API answering from the model. Once with one
 * in-memory process, once with two processes sharing a real redis-server.
 */
import type { SessionGuard, SessionGuardOptions } from '../../miniprogram_npm_src'
import { describeWithRedis } from '../support/redis'
import { roundRobinPost, startHttpWorld, type HttpWorld } from './http-world'

// The package as users get it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSessionGuard } = require('../../miniprogram_dist') as { createSessionGuard: (o: SessionGuardOptions) => SessionGuard }

function client(setup: HttpWorld) {
  const post = roundRobinPost(setup)
  const guard = createSessionGuard({
    wx: setup.wechat.wx,
    send: (payload) => post('/open-data', payload),
    sendLogin: (code) => post('/login', { code }),
    timeout: 8000,
  })
  let taps = 0
  const tap = () => guard.getPhoneNumber(setup.wechat.consent(`t${taps++}`).detail)
  return { guard, tap, forget: () => setup.forget() }
}

const suite = (mode: 'memory' | 'redis') => {
  let setup: HttpWorld
  beforeEach(async () => {
    setup = await startHttpWorld(mode)
  })
  afterEach(() => setup.stop())

  function codesExchangedOnce() {
    expect(setup.fake.calls.filter((c) => c === '/sns/jscode2session')).toHaveLength(setup.wechat.codes.size)
    expect(setup.wechat.codeErrors).toBe(0)
  }

  it('serves a burst of taps after a first-launch login, each code exchanged once', async () => {
    const { guard, tap } = client(setup)
    setup.wechat.expire()
    expect(await guard.prepare()).toEqual({ status: 'ok', loggedIn: true })
    const outcomes = await Promise.all([tap(), tap(), tap(), tap(), tap(), tap()])
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok'])
    expect(setup.wechat.limitedCalls).toBe(0)
    codesExchangedOnce()
  })

  it('decrypts data sealed with the expired key through the previous-key grace, without a retry', async () => {
    const { guard, tap } = client(setup)
    setup.wechat.expire()
    await guard.prepare()
    setup.wechat.expire()
    const outcome = await tap()
    expect(outcome).toMatchObject({ status: 'ok' })
    codesExchangedOnce()
  })

  it('recovers when the server lost the key: at worst one retry, then the next tap succeeds', async () => {
    const { guard, tap, forget } = client(setup)
    setup.wechat.expire()
    await guard.prepare()
    await forget()
    const first = await tap()
    expect(['ok', 'retry']).toContain(first.status)
    expect(await tap()).toMatchObject({ status: 'ok' })
    codesExchangedOnce()
  })
}

describeWithRedis()('session tokens across two processes sharing Redis and the secret', () => {
  let setup: HttpWorld
  beforeEach(async () => {
    setup = await startHttpWorld('redis', undefined, undefined, true, { SESSION_SECRET: 'a-session-secret-of-at-least-32-chars' })
  })
  afterEach(() => setup.stop())

  const post = (url: string, path: string, body: unknown, token?: string) =>
    fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, unknown>>)
  const code = () => new Promise<string>((resolve) => setup.wechat.wx.login({ success: (r) => resolve(r.code as string) }))

  it('accepts on one process the token the other issued, in both directions', async () => {
    const [a, b] = setup.urls
    const login = await post(a, '/login', { code: await code() })
    expect(login).toMatchObject({ ok: true, token: expect.any(String), expiresIn: 86400 })
    const first = setup.wechat.consent('on-b').detail
    expect(await post(b, '/open-data', { code: '', sessionKeyValidFlag: '1', iv: first.iv, encryptedData: first.encryptedData }, login.token as string)).toMatchObject({ ok: true, data: { tag: 'on-b' } })
    const second = setup.wechat.consent('flag-0-on-b').detail
    const exchanged = await post(b, '/open-data', { code: await code(), sessionKeyValidFlag: '0', iv: second.iv, encryptedData: second.encryptedData })
    expect(exchanged).toMatchObject({ ok: true, token: expect.any(String) })
    const third = setup.wechat.consent('on-a').detail
    expect(await post(a, '/open-data', { code: '', sessionKeyValidFlag: '1', iv: third.iv, encryptedData: third.encryptedData }, exchanged.token as string)).toMatchObject({ ok: true, data: { tag: 'on-a' } })
  })

  it('redeems a phone code once across both processes under 50 concurrent identical payloads', async () => {
    const login = await post(setup.urls[0], '/login', { code: await code() })
    const payload = { code: '', sessionKeyValidFlag: '1', phoneCode: 'phone-across-processes' }
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => post(setup.urls[i % 2], '/open-data', payload, login.token as string)))
    expect(setup.fake.redeemedPhoneCodes).toEqual(['phone-across-processes'])
    // The process that redeemed it answers the number; the other one was refused the claim in Redis.
    const ok = replies.filter((r) => r.ok === true)
    expect(ok.length).toBeGreaterThanOrEqual(1)
    for (const reply of ok) expect(reply).toMatchObject({ source: 'phone-code', data: { phoneNumber: '13800138000' } })
    for (const reply of replies.filter((r) => r.ok !== true)) expect(reply).toEqual({ ok: false, reason: 'PHONE_CODE_REJECTED' })
  })
})

describe('over HTTP with the memory store', () => suite('memory'))
describeWithRedis()('over HTTP with two processes sharing Redis', () => suite('redis'))

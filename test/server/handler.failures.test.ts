/** What the handler answers when WeChat or the store fails: the truth, within a bound, with no secret. */
import { createOpenDataHandler, createWeChatApi, MemoryStore, type ServerError, type SessionKeyStore } from '../../server'
import { APP_ID } from '../../simulator/model/wechat'
import { handlerWorld, OPENID, SECRET, type HandlerWorld } from './handler-world'

let world: HandlerWorld
afterEach(() => world?.fake.stop())

/** A MemoryStore with some calls replaced. */
function storeWith(overrides: Partial<SessionKeyStore>): SessionKeyStore {
  const inner = new MemoryStore()
  return {
    get: (o, n) => inner.get(o, n),
    set: (o, k, n) => inner.set(o, k, n),
    delete: (o) => inner.delete(o),
    claimCode: (c, t, n) => inner.claimCode(c, t, n),
    releaseCode: (c) => inner.releaseCode(c),
    ...overrides,
  }
}

/** Settles like `work`, or 'HUNG' after 3 s: a test of a bound must not hang itself. */
const within3s = <T>(work: Promise<T>) => Promise.race([work, new Promise<'HUNG'>((r) => setTimeout(() => r('HUNG'), 3000).unref())])

describe('codes: the reply says what really happened', () => {
  it.each([
    ['rate limit (45011)', 45011],
    ['system busy (-1)', -1],
  ])('answers WECHAT_UNAVAILABLE on %s and gives the claim back, so the same code still exchanges', async (_what, errcode) => {
    world = await handlerWorld()
    const code = await world.code()
    world.fake.failNext = [errcode]
    expect((await world.handler.login({ code })).reply).toEqual({ ok: false, reason: 'WECHAT_UNAVAILABLE' })
    expect((await world.handler.login({ code })).reply).toEqual({ ok: true })
  })

  it('gives the claim back when the request never reached WeChat (connection refused)', async () => {
    world = await handlerWorld()
    let refused = 1
    const api = createWeChatApi({
      appId: APP_ID,
      appSecret: SECRET,
      baseUrl: world.baseUrl,
      fetch: (input, init) => (refused-- > 0 ? Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })) : fetch(input, init)),
    })
    const handler = createOpenDataHandler({ appId: APP_ID, api, store: new MemoryStore() })
    const code = await world.code()
    expect((await handler.login({ code })).reply).toEqual({ ok: false, reason: 'WECHAT_UNAVAILABLE' })
    expect((await handler.login({ code })).reply).toEqual({ ok: true })
  })

  it('keeps the claim when WeChat may have consumed the code (it answered too late): never a second exchange', async () => {
    world = await handlerWorld()
    // WeChat does the exchange, but its answer never arrives within the bound.
    const api = createWeChatApi({ appId: APP_ID, appSecret: SECRET, baseUrl: world.baseUrl, timeoutMs: 200, fetch: (input, init) => fetch(input, init).then(() => new Promise<Response>(() => undefined)) })
    const handler = createOpenDataHandler({ appId: APP_ID, api, store: new MemoryStore() })
    const code = await world.code()
    expect((await handler.login({ code })).reply).toEqual({ ok: false, reason: 'WECHAT_UNAVAILABLE' })
    expect((await handler.login({ code })).reply).toEqual({ ok: false, reason: 'CODE_REJECTED' })
    expect(world.exchanges()).toBe(1)
    expect(world.wechat.codeErrors).toBe(0)
  })
})

describe('the store', () => {
  const failingSet = () =>
    storeWith({
      set: (_o, key) => Promise.reject(Object.assign(new Error(`ERR writing ${key}`), { command: { args: [key] } })),
    })

  it('failing after an exchange: answered STORE_UNAVAILABLE (not ok, not DECRYPT_FAILED), reported without the key', async () => {
    const errors: { error: ServerError; stage: string; openid?: string }[] = []
    world = await handlerWorld({ store: failingSet(), onError: (error, context) => errors.push({ error, ...context }) })
    const login = await world.handler.login({ code: await world.code() })
    expect(login).toEqual({ reply: { ok: false, reason: 'STORE_UNAVAILABLE' }, openid: OPENID })
    const { detail } = world.wechat.consent('a')
    const open = await world.handler.openData({ code: await world.code(), sessionKeyValidFlag: '0', iv: detail.iv, encryptedData: detail.encryptedData })
    expect(open.reply).toEqual({ ok: false, reason: 'STORE_UNAVAILABLE' })
    expect(open.exchanged).toBeUndefined()
    expect(errors.map((e) => [e.stage, e.openid, e.error.code])).toEqual([
      ['store.set', OPENID, 'STORE_UNAVAILABLE'],
      ['store.set', OPENID, 'STORE_UNAVAILABLE'],
    ])
    expect(JSON.stringify(errors) + errors.map((e) => e.error.message + e.error.stack).join()).not.toContain(world.wechat.key)
  })

  it('stalling: every call is bounded and answered STORE_UNAVAILABLE', async () => {
    world = await handlerWorld({ store: storeWith({ get: () => new Promise(() => undefined), claimCode: () => new Promise(() => undefined) }), storeTimeoutMs: 200 })
    const { detail } = world.wechat.consent('a')
    expect(await within3s(world.handler.openData({ code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData }, OPENID))).toMatchObject({
      reply: { ok: false, reason: 'STORE_UNAVAILABLE' },
    })
    expect(await within3s(world.handler.login({ code: await world.code() }))).toMatchObject({ reply: { ok: false, reason: 'STORE_UNAVAILABLE' } })
    expect(world.exchanges()).toBe(0)
  })

  it('full of claimed codes: answered STORE_UNAVAILABLE without sending the code to WeChat', async () => {
    world = await handlerWorld({ store: new MemoryStore({ maxClaimedCodes: 1 }) })
    expect((await world.handler.login({ code: await world.code() })).reply).toEqual({ ok: true })
    expect((await world.handler.login({ code: await world.code() })).reply).toEqual({ ok: false, reason: 'STORE_UNAVAILABLE' })
    expect(world.exchanges()).toBe(1)
  })
})

describe('options', () => {
  const api = { code2Session: async () => ({ openid: 'o', sessionKey: 'k' }), getPhoneNumberByCode: async () => ({ phoneNumber: '', purePhoneNumber: '', countryCode: '' }) }
  it.each([
    ['previousKeyGraceMs', -1],
    ['previousKeyGraceMs', NaN],
    ['previousKeyGraceMs', 1.5],
    ['maxAgeSeconds', NaN],
    ['maxAgeSeconds', -1],
    ['maxAgeSeconds', Infinity],
    ['maxAgeSeconds', 0],
    ['storeTimeoutMs', 0],
  ])('refuses %s = %p with a CONFIG error when the handler is made', (name, value) => {
    expect(() => createOpenDataHandler({ appId: APP_ID, api, [name]: value })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
  })

  it('refuses a handler without appId, or without appSecret or api', () => {
    expect(() => createOpenDataHandler({ appId: '', api })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
    expect(() => createOpenDataHandler({ appId: APP_ID })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
  })
})

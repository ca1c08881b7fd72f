import fc from 'fast-check'
import { createWeChatApi } from '../../server'
import { APP_ID } from '../../simulator/model/wechat'
import { handlerWorld, OPENID, SECRET } from './handler-world'

const setup = (grace = 5 * 60 * 1000) => handlerWorld({ previousKeyGraceMs: grace })

let world: Awaited<ReturnType<typeof setup>>
afterEach(() => world?.fake.stop())

describe('createOpenDataHandler', () => {
  it("flag '0': exchanges the code, keeps the key, decrypts", async () => {
    world = await setup()
    const code = await world.code()
    const { detail } = world.wechat.consent('a')
    const result = await world.handler.openData({ code, sessionKeyValidFlag: '0', iv: detail.iv, encryptedData: detail.encryptedData })
    expect(result).toEqual({ reply: { ok: true, data: expect.objectContaining({ phoneNumber: '13800138000', tag: 'a' }), source: 'decrypt' }, openid: OPENID, exchanged: true })
    expect((await world.store.get(OPENID, world.clock.now()))?.current).toBe(world.wechat.key)
  })

  it("flag '1': decrypts with the stored key, and says SESSION_KEY_MISSING without one", async () => {
    world = await setup()
    const { detail } = world.wechat.consent('b')
    const payload = { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData }
    expect((await world.handler.openData(payload, OPENID)).reply).toEqual({ ok: false, reason: 'SESSION_KEY_MISSING' })
    expect((await world.handler.login({ code: await world.code() })).reply).toEqual({ ok: true })
    const fresh = world.wechat.consent('c').detail
    expect((await world.handler.openData({ ...payload, iv: fresh.iv, encryptedData: fresh.encryptedData }, OPENID)).reply).toMatchObject({ ok: true, data: { tag: 'c' } })
  })

  it('exchanges a code once: the same code again is CODE_REJECTED without calling WeChat', async () => {
    world = await setup()
    const code = await world.code()
    expect((await world.handler.login({ code })).reply).toEqual({ ok: true })
    expect((await world.handler.login({ code })).reply).toEqual({ ok: false, reason: 'CODE_REJECTED' })
    expect(world.fake.calls.filter((c) => c === '/sns/jscode2session')).toHaveLength(1)
  })

  it('keeps the previous key through a rotation, for its grace period only', async () => {
    world = await setup(60000)
    await world.handler.login({ code: await world.code() })
    const sealedBefore = world.wechat.consent('old').detail
    await world.handler.login({ code: await world.code() }) // 'always' rotates
    const payload = { code: '', sessionKeyValidFlag: '1', iv: sealedBefore.iv, encryptedData: sealedBefore.encryptedData }
    expect((await world.handler.openData(payload, OPENID)).reply).toMatchObject({ ok: true, data: { tag: 'old' } })
    world.clock.setTimeout(() => undefined, 60001)
    world.clock.runNext()
    expect((await world.handler.openData(payload, OPENID)).reply).toEqual({ ok: false, reason: 'DECRYPT_FAILED' })
  })

  it.each([
    [40029, 'CODE_REJECTED'],
    [40163, 'CODE_REJECTED'],
    [45011, 'WECHAT_UNAVAILABLE'],
    [-1, 'WECHAT_UNAVAILABLE'],
    [40226, 'USER_BLOCKED'],
  ])('maps WeChat errcode %i to %s', async (errcode, reason) => {
    world = await setup()
    world.fake.failNext = [errcode]
    expect((await world.handler.login({ code: await world.code() })).reply).toEqual({ ok: false, reason })
  })

  it.each([
    ['no payload', undefined],
    ['a string payload', 'x'],
    ['an unknown flag', { code: '', sessionKeyValidFlag: '2', iv: 'aaaa', encryptedData: 'aaaa' }],
    ["flag '0' without a code", { code: '', sessionKeyValidFlag: '0', iv: 'aaaa', encryptedData: 'aaaa' }],
    ['no iv', { code: '', sessionKeyValidFlag: '1', encryptedData: 'aaaa' }],
    ['a huge encryptedData', { code: '', sessionKeyValidFlag: '1', iv: 'aaaa', encryptedData: 'A'.repeat(70000) }],
  ])('answers BAD_INPUT to %s', async (_what, payload) => {
    world = await setup()
    expect((await world.handler.openData(payload, OPENID)).reply).toEqual({ ok: false, reason: 'BAD_INPUT' })
  })

  it('answers any payload with a reply, never an exception', async () => {
    world = await setup()
    const field = fc.oneof(fc.string(), fc.base64String(), fc.constantFrom('0', '1', ''), fc.integer(), fc.constant(null))
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), fc.record({ code: field, sessionKeyValidFlag: field, iv: field, encryptedData: field })), fc.option(fc.string()), async (payload, openid) => {
        const { reply } = await world.handler.openData(payload, openid ?? undefined)
        expect(typeof reply.ok).toBe('boolean')
      }),
      { numRuns: 300 },
    )
  })

  it('redeems a phone code with one cached access token for many calls', async () => {
    world = await setup()
    const [a, b] = await Promise.all([world.api.getPhoneNumberByCode('p1'), world.api.getPhoneNumberByCode('p2')])
    expect(a.phoneNumber).toBe('13800138000')
    expect(b.phoneNumber).toBe('13800138000')
    await world.api.getPhoneNumberByCode('p3')
    expect(world.fake.calls.filter((c) => c === '/cgi-bin/token')).toHaveLength(1)
  })

  it("redeems a phone code naming the user's openid, so WeChat refuses a code another user tapped for", async () => {
    world = await setup()
    world.fake.phoneCodeOwners.set('p-theirs', 'openid-of-someone-else').set('p-mine', OPENID)
    const theirs = await world.handler.openData({ code: '', sessionKeyValidFlag: '1', phoneCode: 'p-theirs' }, OPENID)
    expect(theirs.reply).toEqual({ ok: false, reason: 'PHONE_CODE_REJECTED' })
    const mine = await world.handler.openData({ code: '', sessionKeyValidFlag: '1', phoneCode: 'p-mine' }, OPENID)
    expect(mine.reply).toMatchObject({ ok: true, source: 'phone-code', data: { phoneNumber: '13800138000' } })
    expect(world.fake.openidsNamed).toEqual([OPENID, OPENID])
  })

  it('bounds a WeChat call that never answers with a TIMEOUT error', async () => {
    const api = createWeChatApi({ appId: APP_ID, appSecret: SECRET, baseUrl: 'http://127.0.0.1:9', timeoutMs: 200, fetch: () => new Promise(() => undefined) })
    await expect(api.code2Session('c')).rejects.toMatchObject({ code: 'TIMEOUT' })
  })
})

describe('createWeChatApi', () => {
  it('fetches a new access token once when WeChat says the cached one is no longer valid', async () => {
    world = await setup()
    await world.api.getPhoneNumberByCode('p1')
    world.fake.failNext = [40001]
    expect((await world.api.getPhoneNumberByCode('p2')).phoneNumber).toBe('13800138000')
    expect(world.fake.calls.filter((c) => c === '/cgi-bin/token')).toHaveLength(2)
  })

  it('does not retry a phone code WeChat refused for another reason', async () => {
    world = await setup()
    await world.api.getPhoneNumberByCode('p0')
    world.fake.failNext = [40029]
    await expect(world.api.getPhoneNumberByCode('p1')).rejects.toMatchObject({ code: 'CODE_INVALID', errcode: 40029 })
    expect(world.fake.calls.filter((c) => c === '/wxa/business/getuserphonenumber')).toHaveLength(2)
  })
})

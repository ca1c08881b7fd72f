/**
 * The handler per platform, against the kit's fake of that platform's API over real HTTP: each
 * exchange's errors mapped onto the protocol's reasons, Baidu's data opened and refused, claims kept
 * as long as the platform's codes live, keys of two platforms apart in one store, tokens bound to
 * the platform, phone codes only where the platform has them, and configuration refused loudly.
 */
import { KIT_PLATFORMS } from '../../conformance/platforms/all-platforms'
import type { PlatformName } from '../../conformance/platforms/kit-platform'
import { servePlatformApi } from '../../conformance/platforms/platform-api-server'
import { sealBaidu } from '../../conformance/platforms/sealing'
import { FakeWeChat } from '../../conformance/wechat/fake-wechat'
import { createOpenDataHandler, createSessionTokens, createWeChatApi, MemoryStore, RedisStore, isServerError, type OpenDataHandlerOptions } from '../../server'

const SECRET = 'platform-secret'
interface Fake {
  wechat: FakeWeChat
  base: string
  stop(): Promise<void>
}
const fakes: Fake[] = []

async function fakeOf(platform: PlatformName): Promise<Fake> {
  const profile = KIT_PLATFORMS[platform]
  const wechat = new FakeWeChat({ appId: profile.defaultAppId, secret: SECRET, newSessionKey: profile.newSessionKey })
  const fake = profile.answer ? await servePlatformApi(profile, wechat).then((api) => ({ wechat, base: api.base, stop: () => Promise.all([api.stop(), wechat.stop()]).then(() => undefined) })) : { wechat, base: await wechat.start(0), stop: () => wechat.stop() }
  fakes.push(fake)
  return fake
}
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.stop()))
})

function handlerOn(platform: PlatformName, fake: Fake, extra: Partial<OpenDataHandlerOptions> = {}) {
  const appId = KIT_PLATFORMS[platform].defaultAppId
  const api = createWeChatApi({ platform, appId, appSecret: SECRET, baseUrl: fake.base, timeoutMs: 5000 })
  return createOpenDataHandler({ platform, appId, api, ...extra })
}

const ALL: PlatformName[] = ['weixin', 'qq', 'toutiao', 'baidu', 'kuaishou']

describe.each(ALL)('the companion on %s', (platform) => {
  it("exchanges a code at the platform's endpoint; a bad code is CODE_REJECTED, a busy platform WECHAT_UNAVAILABLE, a resent code never reaches it", async () => {
    const fake = await fakeOf(platform)
    const handler = handlerOn(platform, fake)
    const openid = fake.wechat.newUser()
    const good = fake.wechat.issueCode(openid).code
    const first = await handler.login({ code: good })
    expect(first).toMatchObject({ reply: { ok: true }, openid, exchanged: true })
    expect((await handler.login({ code: good })).reply).toEqual({ ok: false, reason: 'CODE_REJECTED' })
    expect(fake.wechat.exchangesOf(good)).toBe(1)
    const bad = fake.wechat.issueCode(openid, { errcode: 40029 }).code
    expect((await handler.login({ code: bad })).reply).toEqual({ ok: false, reason: 'CODE_REJECTED' })
    const busy = fake.wechat.issueCode(openid, { errcode: -1 }).code
    expect((await handler.login({ code: busy })).reply).toEqual({ ok: false, reason: 'WECHAT_UNAVAILABLE' })
  })

  it('gives a claim back after a busy answer only where the platform documents it as unprocessed (WeChat, QQ)', async () => {
    const fake = await fakeOf(platform)
    const handler = handlerOn(platform, fake)
    const busy = fake.wechat.issueCode(fake.wechat.newUser(), { errcode: -1 }).code
    expect((await handler.login({ code: busy })).reply).toEqual({ ok: false, reason: 'WECHAT_UNAVAILABLE' })
    const again = (await handler.login({ code: busy })).reply
    const reached = fake.wechat.calls.filter((call) => call === 'GET /sns/jscode2session').length
    if (platform === 'weixin' || platform === 'qq') expect([again, reached]).toEqual([{ ok: false, reason: 'WECHAT_UNAVAILABLE' }, 2])
    else expect([again, reached]).toEqual([{ ok: false, reason: 'CODE_REJECTED' }, 1])
  })

  it('ignores a phone code where the platform has none the companion redeems: a phone code alone is BAD_INPUT', async () => {
    const fake = await fakeOf(platform)
    const handler = handlerOn(platform, fake)
    const openid = fake.wechat.newUser()
    await handler.login({ code: fake.wechat.issueCode(openid).code })
    const phoneCode = fake.wechat.issuePhoneCode('13800138000')
    const reply = (await handler.openData({ sessionKeyValidFlag: '1', code: '', phoneCode }, openid)).reply
    if (platform === 'weixin') expect(reply).toMatchObject({ ok: true, source: 'phone-code' })
    else expect(reply).toEqual({ ok: false, reason: 'BAD_INPUT' })
    expect(fake.wechat.redemptionsOf(phoneCode)).toBe(platform === 'weixin' ? 1 : 0)
  })
})

describe('the companion on Baidu', () => {
  const appKey = KIT_PLATFORMS.baidu.defaultAppId

  it('opens data sealed with the exchanged 24-byte key; another app_key is WATERMARK_MISMATCH, a stale key DECRYPT_FAILED with the new key kept', async () => {
    const fake = await fakeOf('baidu')
    const handler = handlerOn('baidu', fake)
    const openid = fake.wechat.newUser()
    const first = fake.wechat.issueCode(openid)
    const mobile = { mobile: '13800138000' }
    const opened = await handler.openData({ sessionKeyValidFlag: '0', code: first.code, ...sealBaidu(first.sessionKey, appKey, mobile) })
    expect(opened.reply).toEqual({ ok: true, data: mobile, source: 'decrypt' })
    const other = await handler.openData({ sessionKeyValidFlag: '1', code: '', ...sealBaidu(first.sessionKey, 'AnotherAppKey0123456789abcdefghi', mobile) }, openid)
    expect(other.reply).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
    const unseen = fake.wechat.issueCode(openid).sessionKey
    const next = fake.wechat.issueCode(openid)
    const stale = await handler.openData({ sessionKeyValidFlag: '0', code: next.code, ...sealBaidu(unseen, appKey, mobile) })
    expect(stale.reply).toEqual({ ok: false, reason: 'DECRYPT_FAILED' })
    const fresh = await handler.openData({ sessionKeyValidFlag: '1', code: '', ...sealBaidu(next.sessionKey, appKey, mobile) }, openid)
    expect(fresh.reply).toEqual({ ok: true, data: mobile, source: 'decrypt' })
  })

  it('keeps a claimed code 10 minutes (its lifetime there): resent after 6 minutes it still never reaches Baidu, where on WeChat it would', async () => {
    const exchangesAfterSixMinutes = async (platform: PlatformName) => {
      let clock = 1_700_000_000_000
      const fake = await fakeOf(platform)
      const handler = handlerOn(platform, fake, { now: () => clock })
      const { code } = fake.wechat.issueCode(fake.wechat.newUser())
      await handler.login({ code })
      clock += 6 * 60 * 1000
      expect((await handler.login({ code })).reply).toEqual({ ok: false, reason: 'CODE_REJECTED' })
      return fake.wechat.exchangesOf(code)
    }
    expect(await exchangesAfterSixMinutes('baidu')).toBe(1)
    expect(await exchangesAfterSixMinutes('weixin')).toBe(2)
  })
})

describe("Douyin's phone codes, redeemed by an api of the app's own", () => {
  it('are claimed once like WeChat’s: the same user gets the number again, another user PHONE_CODE_REJECTED, one redemption', async () => {
    const fake = await fakeOf('toutiao')
    const douyin = createWeChatApi({ platform: 'toutiao', appId: KIT_PLATFORMS.toutiao.defaultAppId, appSecret: SECRET, baseUrl: fake.base, timeoutMs: 5000 })
    const redeemed: string[] = []
    // What an app writes around its own Douyin phone API and RSA key: here, a number per code it was given.
    const numbers = new Map([['tt-phone-code-1', '13800138001']])
    const handler = createOpenDataHandler({
      platform: 'toutiao',
      appId: KIT_PLATFORMS.toutiao.defaultAppId,
      api: {
        code2Session: (code) => douyin.code2Session(code),
        async getPhoneNumberByCode(phoneCode) {
          redeemed.push(phoneCode)
          const number = numbers.get(phoneCode) as string
          return { phoneNumber: number, purePhoneNumber: number, countryCode: '86' }
        },
      },
    })
    const alice = fake.wechat.newUser()
    const bob = fake.wechat.newUser()
    const payload = { sessionKeyValidFlag: '1', code: '', phoneCode: 'tt-phone-code-1' }
    expect((await handler.openData(payload, alice)).reply).toEqual({ ok: true, data: { phoneNumber: '13800138001', purePhoneNumber: '13800138001', countryCode: '86' }, source: 'phone-code' })
    expect((await handler.openData(payload, alice)).reply).toMatchObject({ ok: true, source: 'phone-code' })
    expect((await handler.openData(payload, bob)).reply).toEqual({ ok: false, reason: 'PHONE_CODE_REJECTED' })
    expect(redeemed).toEqual(['tt-phone-code-1'])
  })
})

describe('platforms sharing one store and one secret', () => {
  it("never mix keys: WeChat's login of the same openid leaves Douyin's key current", async () => {
    const store = new MemoryStore()
    const douyin = await fakeOf('toutiao')
    const wechat = await fakeOf('weixin')
    const tt = handlerOn('toutiao', douyin, { store, previousKeyGraceMs: 0 })
    const wx = handlerOn('weixin', wechat, { store, previousKeyGraceMs: 0 })
    const openid = 'same-openid-on-both'
    const ttKey = douyin.wechat.issueCode(openid)
    await tt.login({ code: ttKey.code })
    const wxKey = wechat.wechat.issueCode(openid)
    await wx.login({ code: wxKey.code })
    expect((await store.get(`toutiao:${openid}`))?.current).toBe(ttKey.sessionKey)
    expect((await store.get(openid))?.current).toBe(wxKey.sessionKey)
    const data = { phoneNumber: '13800138000', watermark: { appid: KIT_PLATFORMS.toutiao.defaultAppId, timestamp: Math.floor(Date.now() / 1000) } }
    const reply = (await tt.openData({ sessionKeyValidFlag: '1', code: '', ...KIT_PLATFORMS.toutiao.seal(ttKey.sessionKey, data) }, openid)).reply
    expect(reply).toEqual({ ok: true, data: { phoneNumber: '13800138000' }, source: 'decrypt' })
  })

  it("put Redis keys and claims under the platform inside the hash tag: each script's keys in one slot", async () => {
    const calls: string[][] = []
    const store = new RedisStore({ eval: async (_script, keys) => (calls.push(keys), Promise.reject(new Error('recorded only'))) })
    const fake = await fakeOf('kuaishou')
    const handler = handlerOn('kuaishou', fake, { store })
    const openid = fake.wechat.newUser()
    await handler.login({ code: fake.wechat.issueCode(openid).code })
    await handler.openData({ sessionKeyValidFlag: '1', code: '', iv: 'AAAAAAAAAAAAAAAAAAAAAA==', encryptedData: 'AAAAAAAAAAAAAAAAAAAAAA==' }, openid)
    expect(calls.length).toBeGreaterThanOrEqual(2)
    const tagOf = (key: string) => /\{([^}]*)\}/.exec(key)?.[1]
    for (const keys of calls) expect(new Set(keys.map(tagOf)).size).toBe(1)
    expect(calls.some((keys) => keys.some((k) => k === `session-guard:keys:{kuaishou:${openid}}`))).toBe(true)
  })

  it('bind tokens to the platform: the same appid on another platform refuses them, and WeChat tokens keep their old form', () => {
    const sessionSecret = 'a-session-secret-of-at-least-32-chars'
    const onDouyin = createSessionTokens({ sessionSecret, appId: 'app1', platform: 'toutiao' })
    const onWeChat = createSessionTokens({ sessionSecret, appId: 'app1' })
    const onKuaishou = createSessionTokens({ sessionSecret, appId: 'app1', platform: 'kuaishou' })
    const token = onDouyin.issue('o-1').token
    expect(onDouyin.inspect(token)).toMatchObject({ openid: 'o-1', appId: 'toutiao:app1' })
    expect(onWeChat.verify(token)).toBeUndefined()
    expect(onKuaishou.verify(token)).toBeUndefined()
    expect(onDouyin.verify(onWeChat.issue('o-1').token)).toBeUndefined()
    expect(createSessionTokens({ sessionSecret, appId: 'app1', platform: 'weixin' }).verify(onWeChat.issue('o-1').token)).toBe('o-1')
    // A 64-character appid still fits with the longest platform name in front.
    const longest = createSessionTokens({ sessionSecret, appId: 'a'.repeat(64), platform: 'kuaishou' })
    expect(longest.verify(longest.issue('o'.repeat(128)).token)).toBe('o'.repeat(128))
  })
})

describe('platform configuration', () => {
  const configError = (fn: () => unknown) => {
    try {
      fn()
    } catch (error) {
      return isServerError(error, 'CONFIG')
    }
    return false
  }

  it('refuses an unknown platform, an API of another platform, and an age limit on Baidu', () => {
    expect(configError(() => createOpenDataHandler({ platform: 'alipay' as never, appId: 'a', appSecret: 's' }))).toBe(true)
    expect(configError(() => createWeChatApi({ platform: 'jd' as never, appId: 'a', appSecret: 's' }))).toBe(true)
    expect(configError(() => createOpenDataHandler({ platform: 'baidu', appId: 'a', api: createWeChatApi({ platform: 'weixin', appId: 'a', appSecret: 's' }) }))).toBe(true)
    expect(configError(() => createOpenDataHandler({ platform: 'baidu', appId: 'a', appSecret: 's', maxAgeSeconds: 60 }))).toBe(true)
    expect(configError(() => createSessionTokens({ sessionSecret: 'a-session-secret-of-at-least-32-chars', platform: 'my' as never }))).toBe(true)
    expect(createOpenDataHandler({ platform: 'toutiao', appId: 'tt1', appSecret: 's' }).platform).toBe('toutiao')
  })
})

describe('errors the platforms answer', () => {
  it.each(['weixin', 'qq', 'toutiao', 'baidu', 'kuaishou'] as const)("%s: never carry the code into the error (Baidu's error_description quotes it)", async (platform) => {
    const fake = await fakeOf(platform)
    const api = createWeChatApi({ platform, appId: KIT_PLATFORMS[platform].defaultAppId, appSecret: SECRET, baseUrl: fake.base, timeoutMs: 5000 })
    const openid = fake.wechat.newUser()
    for (const errcode of [40029, -1, 40226]) {
      const { code } = fake.wechat.issueCode(openid, { errcode })
      const error = await api.code2Session(code).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(isServerError(error)).toBe(true)
      expect((error as Error).message).not.toContain(code)
    }
  })
})

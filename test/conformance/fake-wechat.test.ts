/**
 * The kit's fake WeChat server API answers as WeChat does for what SDKs send: WxJava's extra
 * access_token on jscode2session, the stable token, 40013/40125 for wrong credentials, a code used
 * twice (40163), a busy code still usable after −1, checksession's signature, a revoked access token.
 */
import { createHmac } from 'node:crypto'
import { FakeWeChat } from '../../conformance/wechat/fake-wechat'

const APP = { appId: 'wxfake', secret: 'fake-secret' }
let wechat: FakeWeChat
let base: string

beforeEach(async () => {
  wechat = new FakeWeChat(APP)
  base = await wechat.start(0)
})
afterEach(() => wechat.stop())

const get = async (path: string) => (await fetch(base + path)).json()
const post = async (path: string, body: unknown) => (await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()
const exchange = (code: string, extra = '') => get(`/sns/jscode2session?appid=${APP.appId}&secret=${APP.secret}&js_code=${code}&grant_type=authorization_code${extra}`)

describe('the fake WeChat API', () => {
  it('exchanges a code once, tolerating an access_token beside it (WxJava), and answers 40163 after', async () => {
    const openid = wechat.newUser()
    const { code, sessionKey } = wechat.issueCode(openid)
    expect(await exchange(code, '&access_token=whatever')).toEqual({ openid, session_key: sessionKey })
    expect(await exchange(code)).toMatchObject({ errcode: 40163 })
    expect(wechat.exchangesOf(code)).toBe(2)
    expect(await exchange('never-issued')).toMatchObject({ errcode: 40029 })
  })

  it('refuses the wrong appid (40013) or secret (40125) on every credential route', async () => {
    const { code } = wechat.issueCode(wechat.newUser())
    expect(await get(`/sns/jscode2session?appid=wxother&secret=${APP.secret}&js_code=${code}`)).toMatchObject({ errcode: 40013 })
    expect(await get(`/cgi-bin/token?grant_type=client_credential&appid=${APP.appId}&secret=nope`)).toMatchObject({ errcode: 40125 })
    expect(await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APP.appId, secret: 'nope' })).toMatchObject({ errcode: 40125 })
    expect(wechat.exchangesOf(code)).toBe(0)
  })

  it('leaves a code usable after −1 (WeChat did not process it)', async () => {
    const { code } = wechat.issueCode(wechat.newUser(), { errcode: -1 })
    expect(await exchange(code)).toMatchObject({ errcode: -1 })
    expect(wechat.exchangesOf(code)).toBe(0)
  })

  it('redeems a phone code once with a token from cgi-bin/token or cgi-bin/stable_token; a revoked token gets 40001', async () => {
    const { access_token: token } = await get(`/cgi-bin/token?grant_type=client_credential&appid=${APP.appId}&secret=${APP.secret}`)
    const { access_token: stable } = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APP.appId, secret: APP.secret, force_refresh: false })
    const phoneCode = wechat.issuePhoneCode('13900000001')
    expect(await post(`/wxa/business/getuserphonenumber?access_token=${stable}`, { code: phoneCode })).toMatchObject({ errcode: 0, phone_info: { phoneNumber: '13900000001', countryCode: '86' } })
    expect(await post(`/wxa/business/getuserphonenumber?access_token=${token}`, { code: phoneCode })).toMatchObject({ errcode: 40029 })
    wechat.revokeAccessTokens()
    expect(await post(`/wxa/business/getuserphonenumber?access_token=${token}`, { code: wechat.issuePhoneCode('13900000002') })).toMatchObject({ errcode: 40001 })
  })

  it('binds a phone code to the user who tapped: refused for another openid, redeemed for theirs or for none named', async () => {
    const { access_token: token } = await get(`/cgi-bin/token?grant_type=client_credential&appid=${APP.appId}&secret=${APP.secret}`)
    const redeem = (body: object) => post(`/wxa/business/getuserphonenumber?access_token=${token}`, body)
    const owner = wechat.newUser()
    const phoneCode = wechat.issuePhoneCode('13900000003', owner)
    expect(await redeem({ code: phoneCode, openid: wechat.newUser() })).toMatchObject({ errcode: 40029 })
    expect(await redeem({ code: phoneCode, openid: owner })).toMatchObject({ errcode: 0, phone_info: { phoneNumber: '13900000003' } })
    expect(await redeem({ code: phoneCode, openid: owner })).toMatchObject({ errcode: 40029 })
    expect(wechat.redemptionsOf(phoneCode)).toBe(3)
    const unnamed = wechat.issuePhoneCode('13900000004', owner)
    expect(await redeem({ code: unnamed })).toMatchObject({ errcode: 0, phone_info: { phoneNumber: '13900000004' } })
    expect([wechat.openidsNamedFor(phoneCode).length, wechat.openidsNamedFor(unnamed)]).toEqual([3, [undefined]])
  })

  it('checksession: 0 for hmac_sha256(current session_key, ""), 87009 for a replaced key', async () => {
    const { access_token: token } = await get(`/cgi-bin/token?grant_type=client_credential&appid=${APP.appId}&secret=${APP.secret}`)
    const openid = wechat.newUser()
    const old = wechat.issueCode(openid).sessionKey
    const current = wechat.issueCode(openid).sessionKey
    const check = (key: string) => get(`/wxa/checksession?access_token=${token}&openid=${openid}&signature=${createHmac('sha256', key).update('').digest('hex')}&sig_method=hmac_sha256`)
    expect(await check(current)).toMatchObject({ errcode: 0 })
    expect(await check(old)).toMatchObject({ errcode: 87009 })
  })

  it('stop() ends a held answer at once', async () => {
    const { code } = wechat.issueCode(wechat.newUser(), { delayMs: 60_000 })
    const pending = exchange(code).catch((error: unknown) => error)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const started = Date.now()
    await wechat.stop()
    expect(String(await pending)).toMatch(/fetch failed/)
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

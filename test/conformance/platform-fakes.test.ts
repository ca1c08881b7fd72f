/**
 * The kit's fakes of the other platforms' server APIs answer as the facts page says each platform does:
 * only its endpoint and method, its body format, its reply shape and error codes, and keys of its size.
 */
import { KIT_PLATFORMS } from '../../conformance/platforms/all-platforms'
import type { PlatformName } from '../../conformance/platforms/kit-platform'
import { servePlatformApi, type PlatformApiServer } from '../../conformance/platforms/platform-api-server'
import { FakeWeChat } from '../../conformance/wechat/fake-wechat'

const SECRET = 'fake-secret'
let wechat: FakeWeChat
let api: PlatformApiServer

async function start(platform: Exclude<PlatformName, 'weixin'>) {
  const profile = KIT_PLATFORMS[platform]
  wechat = new FakeWeChat({ appId: profile.defaultAppId, secret: SECRET, newSessionKey: profile.newSessionKey })
  api = await servePlatformApi(profile, wechat)
  return profile.defaultAppId
}
afterEach(async () => {
  await api?.stop()
  await wechat?.stop()
})

const send = async (path: string, init?: RequestInit) => {
  const response = await fetch(api.base + path, init)
  const text = await response.text()
  return { status: response.status, body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text }
}
const json = (body: object): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const form = (body: Record<string, string>): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() })

describe('the fake Douyin API', () => {
  it('exchanges a code by POST JSON once (err_no 0, data), then 40018; wrong secret 40017; GET and WeChat paths 404', async () => {
    const appid = await start('toutiao')
    const openid = wechat.newUser()
    const { code, sessionKey } = wechat.issueCode(openid)
    expect(await send('/api/apps/v2/jscode2session', json({ appid, secret: SECRET, code }))).toEqual({ status: 200, body: { err_no: 0, err_tips: 'success', log_id: 'kit', data: { session_key: sessionKey, openid, anonymous_openid: '', unionid: '' } } })
    expect((await send('/api/apps/v2/jscode2session', json({ appid, secret: SECRET, code }))).body).toMatchObject({ err_no: 40018 })
    expect((await send('/api/apps/v2/jscode2session', json({ appid, secret: 'nope', code: wechat.issueCode(openid).code }))).body).toMatchObject({ err_no: 40017 })
    expect((await send('/api/apps/v2/jscode2session', form({ appid, secret: SECRET, code: 'x' }))).body).toMatchObject({ err_no: 40014 })
    expect((await send(`/api/apps/v2/jscode2session?appid=${appid}&secret=${SECRET}&code=x`)).status).toBe(404)
    expect((await send(`/sns/jscode2session?appid=${appid}&secret=${SECRET}&js_code=x&grant_type=authorization_code`)).status).toBe(404)
    expect(Buffer.from(sessionKey, 'base64')).toHaveLength(16)
  })
})

describe('the fake Baidu API', () => {
  it('exchanges a form { code, client_id, sk } once with a 24-byte key, then OAuth invalid_grant (HTTP 400); a JSON body lacks every parameter', async () => {
    const appKey = await start('baidu')
    const openid = wechat.newUser()
    const { code, sessionKey } = wechat.issueCode(openid)
    expect(await send('/oauth/jscode2sessionkey', form({ code, client_id: appKey, sk: SECRET }))).toEqual({ status: 200, body: { openid, session_key: sessionKey } })
    expect(Buffer.from(sessionKey, 'base64')).toHaveLength(24)
    expect(await send('/oauth/jscode2sessionkey', form({ code, client_id: appKey, sk: SECRET }))).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: `Invalid authorization code: ${code}` } })
    expect((await send('/oauth/jscode2sessionkey', json({ code: wechat.issueCode(openid).code, client_id: appKey, sk: SECRET }))).body).toMatchObject({ errno: 10010100 })
    expect((await send('/oauth/jscode2sessionkey', form({ code: wechat.issueCode(openid).code, client_id: 'other', sk: SECRET }))).body).toMatchObject({ error: 'invalid_client' })
  })
})

describe('the fake Kuaishou API', () => {
  it('exchanges { app_id, app_secret, js_code } as a form or JSON once (result 1, open_id), then result 100200100', async () => {
    const appId = await start('kuaishou')
    const openid = wechat.newUser()
    const first = wechat.issueCode(openid)
    expect((await send('/oauth2/mp/code2session', form({ app_id: appId, app_secret: SECRET, js_code: first.code }))).body).toEqual({ result: 1, open_id: openid, session_key: first.sessionKey })
    expect((await send('/oauth2/mp/code2session', form({ app_id: appId, app_secret: SECRET, js_code: first.code }))).body).toMatchObject({ result: 100200100 })
    const second = wechat.issueCode(openid)
    expect((await send('/oauth2/mp/code2session', json({ app_id: appId, app_secret: SECRET, js_code: second.code }))).body).toMatchObject({ result: 1, session_key: second.sessionKey })
    expect((await send('/oauth2/mp/code2session', form({ app_id: appId, app_secret: 'nope', js_code: wechat.issueCode(openid).code }))).body).toMatchObject({ result: 100200101 })
  })
})

describe('the fake QQ API', () => {
  it("is WeChat's jscode2session (GET, errcodes) and nothing else: no access token, no phone codes", async () => {
    const appid = await start('qq')
    const openid = wechat.newUser()
    const { code, sessionKey } = wechat.issueCode(openid)
    const path = `/sns/jscode2session?appid=${appid}&secret=${SECRET}&js_code=${code}&grant_type=authorization_code`
    expect((await send(path)).body).toEqual({ openid, session_key: sessionKey })
    expect((await send(path)).body).toMatchObject({ errcode: 40163 })
    expect((await send(`/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${SECRET}`)).status).toBe(404)
    expect((await send('/wxa/business/getuserphonenumber?access_token=x', json({ code: 'y' }))).status).toBe(404)
  })
})

/**
 * examples/php-server and data WeChat seals without a watermark (docs/protocol.md P-CRYPTO-5): opened
 * only for the payload's dataKind 'chat-tool' / 'group-enter', a present watermark still checked, never
 * a phone number. Sealed as WeChat seals (the kit's seal), with the key the kit's fake WeChat handed out.
 */
import { FakeWeChat } from '../../conformance/wechat/fake-wechat'
import { seal } from '../../conformance/wechat/seal'
import { describeWithPhp, startPhpServer, type RunningPhp } from '../support/php'
import { freePort } from '../support/redis'

const APP_ID = 'wx4f4bc4dec97d474b'
const SECRET = 'php-watermark-wechat-secret'
const CHAT_TOOL = { opengid: 'tG6Lh5Ceuf7Pa6p8OxIYkXh3cE4Y', open_single_roomid: '', group_openid: 'oZsfm5ZcoMvg7H2uS9Qm3jLaVnDc', chat_type: 3 }
const PHONE = { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' }

describeWithPhp()('the PHP server and watermark-less data', () => {
  let wechat: FakeWeChat
  let php: RunningPhp
  let key: string
  let token: string
  beforeAll(async () => {
    wechat = new FakeWeChat({ appId: APP_ID, secret: SECRET })
    php = await startPhpServer({ WECHAT_API_BASE: await wechat.start(await freePort()), WX_APPID: APP_ID, WX_SECRET: SECRET })
    const issued = wechat.issueCode(wechat.newUser())
    key = issued.sessionKey
    token = (await post({ code: issued.code }, '/login')).token as string
  }, 30000)
  afterAll(async () => {
    await php?.stop()
    await wechat?.stop()
  })

  function post(body: unknown, path = '/open-data'): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }
    return fetch(php.url + path, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(8000) }).then((r) => r.json() as Promise<Record<string, unknown>>)
  }
  const open = (data: object, extra: Record<string, unknown> = {}) => post({ code: '', sessionKeyValidFlag: '1', ...seal(key, data), ...extra })

  it("chat-tool data without a watermark opens with dataKind 'chat-tool', and only so", async () => {
    expect(await open(CHAT_TOOL, { dataKind: 'chat-tool' })).toEqual({ ok: true, data: CHAT_TOOL, source: 'decrypt' })
    expect(await open(CHAT_TOOL)).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
    expect(await open(CHAT_TOOL, { dataKind: 'werun' })).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
  })

  it('a watermark that is there is still checked', async () => {
    expect(await open({ ...CHAT_TOOL, watermark: { appid: 'wx0000000000000000', timestamp: 1 } }, { dataKind: 'chat-tool' })).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
  })

  it('never a phone number, never beside a phone code', async () => {
    expect(await open(PHONE, { dataKind: 'chat-tool' })).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
    expect(await open(CHAT_TOOL, { dataKind: 'chat-tool', phoneCode: 'a-phone-code' })).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
  })

  it('a dataKind that is not a short lowercase name is BAD_INPUT', async () => {
    expect(await open(CHAT_TOOL, { dataKind: 'Chat Tool' })).toEqual({ ok: false, reason: 'BAD_INPUT' })
  })
})

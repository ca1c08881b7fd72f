/**
 * Open data without a watermark (docs/protocol.md P-CRYPTO-5): wx.getChatToolInfo's decrypted data
 * carries none, and whether wx.getGroupEnterInfo's does is not documented. The companion opens such
 * data only when the payload says it is of that kind (`dataKind`), still checks a watermark that is
 * there, and never lets it through for a phone number. The fixtures are sealed as WeChat seals them
 * (conformance/wechat/seal.ts), shaped as WeChat's documentation shows them.
 */
import { decryptOpenData, MemoryStore, type OpenDataHandler } from '../../server'
import { newSessionKey, seal } from '../../conformance/wechat/seal'
import { APP_ID } from '../../simulator/model/wechat'
import { handlerWorld, OPENID, type HandlerWorld } from './handler-world'

/** wx.getChatToolInfo, decrypted: no watermark (a multi-person chat: opengid; a one-to-one chat: open_single_roomid). */
const CHAT_TOOL = { opengid: 'tG6Lh5Ceuf7Pa6p8OxIYkXh3cE4Y', open_single_roomid: '', group_openid: 'oZsfm5ZcoMvg7H2uS9Qm3jLaVnDc', chat_type: 3 }
/** wx.getGroupEnterInfo, decrypted, as its documentation shows it: without a watermark too. */
const GROUP_ENTER = { opengid: 'tG6Lh5Ceuf7Pa6p8OxIYkXh3cE4Y', group_openid: 'oZsfm5ZcoMvg7H2uS9Qm3jLaVnDc', chat_type: 1 }
const PHONE = { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' }
const watermark = (appid = APP_ID) => ({ watermark: { appid, timestamp: Math.floor(world.clock.now() / 1000) } })

let world: HandlerWorld
let handler: OpenDataHandler
let key: string
beforeEach(async () => {
  const store = new MemoryStore()
  key = newSessionKey()
  world = await handlerWorld({ store, maxAgeSeconds: 300 })
  await store.set(OPENID, key, world.clock.now())
  handler = world.handler
})
afterEach(() => world.fake.stop())

const open = (data: object, extra: Record<string, unknown> = {}) => handler.openData({ code: '', sessionKeyValidFlag: '1', ...seal(key, data), ...extra }, OPENID).then((r) => r.reply)

describe('data the payload says is watermark-less', () => {
  it.each([
    ['chat-tool', CHAT_TOOL],
    ['group-enter', GROUP_ENTER],
  ])("dataKind '%s' without a watermark opens, the data as WeChat sealed it", async (dataKind, data) => {
    expect(await open(data, { dataKind })).toEqual({ ok: true, data, source: 'decrypt' })
  })

  it('a watermark that is there is still checked: another app’s is WATERMARK_MISMATCH', async () => {
    expect(await open({ ...CHAT_TOOL, ...watermark('wx0000000000000000') }, { dataKind: 'chat-tool' })).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
    expect(await open({ ...GROUP_ENTER, ...watermark() }, { dataKind: 'group-enter' })).toEqual({ ok: true, data: GROUP_ENTER, source: 'decrypt' })
  })

  it('a watermark that is null or not an object is no watermark left out: WATERMARK_MISMATCH', async () => {
    expect(await open({ ...CHAT_TOOL, watermark: null }, { dataKind: 'chat-tool' })).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
    expect(await open({ ...CHAT_TOOL, watermark: 'x' }, { dataKind: 'chat-tool' })).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
  })
})

describe('everywhere else the watermark is required, as before', () => {
  it('without dataKind, chat-tool data is WATERMARK_MISMATCH', async () => {
    expect(await open(CHAT_TOOL)).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
  })

  it("a kind the server does not know ('werun') loosens nothing", async () => {
    expect(await open({ stepInfoList: [] }, { dataKind: 'werun' })).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
  })

  it('never for a phone number: watermark-less phone data is refused whatever the payload says', async () => {
    expect(await open(PHONE, { dataKind: 'chat-tool' })).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
    expect(await open({ ...CHAT_TOOL, purePhoneNumber: '13800138000' }, { dataKind: 'chat-tool' })).toEqual({ ok: false, reason: 'WATERMARK_MISMATCH' })
  })

  it('never beside a phone code: a payload with phoneCode keeps the watermark rule', async () => {
    expect(await open(CHAT_TOOL, { dataKind: 'chat-tool', phoneCode: 'phone-code-1' })).toMatchObject({ ok: false, reason: 'WATERMARK_MISMATCH' })
  })

  it.each([42, 'Chat Tool', 'x'.repeat(33), { kind: 'chat-tool' }])('a dataKind that is not a short lowercase name (%p) is BAD_INPUT', async (dataKind) => {
    expect(await open(CHAT_TOOL, { dataKind })).toEqual({ ok: false, reason: 'BAD_INPUT' })
  })
})

describe('decryptOpenData', () => {
  it("opens watermark-less data with watermark: 'if-present', checks a present one, and refuses phone numbers", () => {
    const run = (data: object) => decryptOpenData({ sessionKey: key, ...seal(key, data), appId: APP_ID, maxAgeSeconds: 60, watermark: 'if-present' })
    expect(run(CHAT_TOOL)).toEqual(CHAT_TOOL)
    expect(() => run({ ...CHAT_TOOL, ...watermark('wx0000000000000000') })).toThrow(expect.objectContaining({ code: 'WATERMARK_MISMATCH' }))
    expect(() => run(PHONE)).toThrow(expect.objectContaining({ code: 'WATERMARK_MISMATCH' }))
    expect(() => decryptOpenData({ sessionKey: key, ...seal(key, CHAT_TOOL), appId: APP_ID })).toThrow(expect.objectContaining({ code: 'WATERMARK_MISMATCH' }))
  })

  it('refuses a watermark rule it does not know (CONFIG-like BAD_INPUT), rather than skip the check', () => {
    expect(() => decryptOpenData({ sessionKey: key, ...seal(key, CHAT_TOOL), appId: APP_ID, watermark: 'optional' as 'if-present' })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })
})

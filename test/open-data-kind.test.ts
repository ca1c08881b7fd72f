/**
 * `openData(fetch, { kind })`: the client says what its sealed data is, as `dataKind` in the payload,
 * so the server can open data WeChat seals without a watermark (wx.getChatToolInfo) and nothing else
 * (docs/protocol.md P-CRYPTO-5). Call by call on the WeChat model, then end to end: the built package
 * over HTTP to the built companion, with chat-tool data sealed as WeChat seals it.
 */
import { createSessionGuard, type SessionGuard, type SessionGuardOptions } from '../miniprogram_npm_src'
import { settle, setup } from './support/model-guard'
import { roundRobinPost, startHttpWorld, type HttpWorld } from './server/http-world'

describe('what goes on the wire', () => {
  it("openData(fetch, { kind: 'chat-tool' }) sends dataKind beside the seed thread's fields", async () => {
    const { world, guard } = setup()
    const info = world.wechat.chatToolInfo()
    await settle(world, guard.openData(() => info, { kind: 'chat-tool' }))
    expect(world.network.sent[0].payload).toEqual({ code: '', sessionKeyValidFlag: '1', iv: info.iv, encryptedData: info.encryptedData, dataKind: 'chat-tool' })
  })

  it('without a kind nothing changes: no dataKind, and openData(fetch, send) still takes its send', async () => {
    const { world, guard } = setup()
    const info = world.wechat.chatToolInfo()
    const seen: Record<string, string>[] = []
    await settle(world, guard.openData(() => info, (payload) => (seen.push(payload), world.network.send(payload))))
    expect(seen[0]).toEqual({ code: '', sessionKeyValidFlag: '1', iv: info.iv, encryptedData: info.encryptedData })
  })

  it('the options form takes a send too, and the field can be renamed with fields', async () => {
    const { world, guard } = setup(true, { fields: { dataKind: 'kind' } })
    const seen: Record<string, string>[] = []
    await settle(world, guard.openData(() => world.wechat.chatToolInfo(), { kind: 'group-enter', send: (payload) => (seen.push(payload), world.network.send(payload)) }))
    expect(seen[0]).toMatchObject({ kind: 'group-enter' })
    expect(seen[0]).not.toHaveProperty('dataKind')
  })

  it.each([
    ['a kind that is not a short lowercase name', { kind: 'Chat Tool' }],
    ['a kind that is not a string', { kind: 42 }],
    ['a send that is not a function', { send: 'nope' }],
    ['options that are not an object', 42],
  ])('%s is INVALID_ARGUMENT, and nothing is fetched or sent', async (_name, options) => {
    const { world, guard } = setup()
    let fetched = false
    const outcome = await settle(world, guard.openData(() => ((fetched = true), world.wechat.chatToolInfo()), options as never))
    expect(outcome).toMatchObject({ status: 'failed', reason: 'INVALID_ARGUMENT' })
    expect(fetched).toBe(false)
    expect(world.network.sent).toHaveLength(0)
  })
})

describe('end to end: the built package, HTTP, the built companion', () => {
  let world: HttpWorld
  let guard: SessionGuard
  beforeAll(async () => {
    world = await startHttpWorld('memory', undefined, (_l, fn) => setTimeout(fn, 1), false)
    // The built package, as an app gets it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const built = require('../miniprogram_dist') as { createSessionGuard: typeof createSessionGuard }
    const post = roundRobinPost(world)
    guard = built.createSessionGuard({ wx: world.wechat.wx, send: (p) => post('/open-data', p), sendLogin: (code) => post('/login', { code }), timeout: 8000 } as SessionGuardOptions)
    expect(await guard.prepare()).toMatchObject({ status: 'ok' })
  })
  afterAll(() => world?.stop())

  it("wx.getChatToolInfo's watermark-less data opens when the client says 'chat-tool'", async () => {
    const info = world.wechat.chatToolInfo('group-1')
    expect(await guard.openData(() => info, { kind: 'chat-tool' })).toEqual({
      status: 'ok',
      reply: { ok: true, source: 'decrypt', data: { opengid: 'group-1', open_single_roomid: '', group_openid: 'oZsfm5ZcoMvg7H2uS9Qm3jLaVnDc', chat_type: 3 } },
    })
  })

  it('and is WATERMARK_MISMATCH when the client does not say so', async () => {
    expect(await guard.openData(() => world.wechat.chatToolInfo('group-2'))).toMatchObject({ status: 'failed', reason: 'SERVER', reply: { ok: false, reason: 'WATERMARK_MISMATCH' } })
  })
})

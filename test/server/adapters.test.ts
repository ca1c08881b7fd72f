import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCloudFunction, createHttpHandler, type OpenDataHandler } from '../../server'

/** A handler that records what the adapters hand it, so the adapters' own work is what is tested. */
function recordingHandler() {
  const seen: { call: string; body: unknown; openid?: string }[] = []
  const handler: OpenDataHandler = {
    async openData(body, openid) {
      seen.push({ call: 'openData', body, openid })
      return { reply: { ok: true, data: {} }, openid: 'o-1', exchanged: (body as { sessionKeyValidFlag?: string })?.sessionKeyValidFlag === '0' }
    },
    async login(body) {
      seen.push({ call: 'login', body })
      return { reply: { ok: true }, openid: 'o-1', exchanged: true }
    },
  }
  return { handler, seen }
}

describe('createHttpHandler', () => {
  let server: Server
  let base: string
  let seen: ReturnType<typeof recordingHandler>['seen']

  beforeEach(async () => {
    const recording = recordingHandler()
    seen = recording.seen
    server = createServer(
      createHttpHandler(recording.handler, {
        identify: (req) => req.headers['x-user'] as string | undefined,
        onLogin: (openid) => ({ token: `token-for-${openid}` }),
        maxBodyBytes: 1024,
      }),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterEach(() => new Promise((resolve) => server.close(resolve)))

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => ({ status: r.status, body: await r.json() }))

  it('routes /login and /open-data, passes who is asking, and adds onLogin fields after a code exchange', async () => {
    expect(await post('/login', '{"code":"c1"}')).toEqual({ status: 200, body: { ok: true, token: 'token-for-o-1' } })
    expect(await post('/open-data', '{"sessionKeyValidFlag":"1"}', { 'x-user': 'o-1' })).toEqual({ status: 200, body: { ok: true, data: {} } })
    expect(await post('/open-data', '{"sessionKeyValidFlag":"0"}')).toEqual({ status: 200, body: { ok: true, data: {}, token: 'token-for-o-1' } })
    expect(seen).toEqual([
      { call: 'login', body: { code: 'c1' }, openid: undefined },
      { call: 'openData', body: { sessionKeyValidFlag: '1' }, openid: 'o-1' },
      { call: 'openData', body: { sessionKeyValidFlag: '0' }, openid: undefined },
    ])
  })

  it.each([
    ['a body that is not JSON', 400, '/open-data', '{nope', 'BAD_REQUEST'],
    ['a body over the limit', 413, '/open-data', JSON.stringify({ encryptedData: 'A'.repeat(2048) }), 'TOO_LARGE'],
    ['an unknown path', 404, '/elsewhere', '{}', 'NOT_FOUND'],
  ])('answers %s with %i and never calls the handler', async (_what, status, path, body, reason) => {
    expect(await post(path, body)).toEqual({ status, body: { ok: false, reason } })
    expect(seen).toEqual([])
  })

  it('answers 500 INTERNAL without the error text when the handler throws', async () => {
    const failing = createServer(
      createHttpHandler({
        openData: () => Promise.reject(new Error('redis down, key=secret')),
        login: () => Promise.reject(new Error('x')),
      }),
    )
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/open-data`
    const response = await fetch(url, { method: 'POST', body: '{}' })
    expect(response.status).toBe(500)
    expect(await response.text()).toBe('{"ok":false,"reason":"INTERNAL"}')
    await new Promise((resolve) => failing.close(resolve))
  })
})

describe('createCloudFunction', () => {
  it("takes the caller's openid from WeChat's context and routes by action", async () => {
    const { handler, seen } = recordingHandler()
    const main = createCloudFunction(handler, () => 'openid-from-wx-context')
    expect(await main({ action: 'login', code: 'c1' })).toEqual({ ok: true })
    expect(await main({ action: 'openData', payload: { sessionKeyValidFlag: '1' } })).toEqual({ ok: true, data: {} })
    expect(seen).toEqual([
      { call: 'login', body: { code: 'c1' } },
      { call: 'openData', body: { sessionKeyValidFlag: '1' }, openid: 'openid-from-wx-context' },
    ])
  })

  it('falls back to event.userInfo.openId', async () => {
    const { handler, seen } = recordingHandler()
    await createCloudFunction(handler)({ payload: {}, userInfo: { openId: 'from-event' } })
    expect(seen[0].openid).toBe('from-event')
  })
})

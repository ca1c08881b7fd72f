import { createCloudFunction, createHttpHandler, type HttpAdapterOptions, type OpenDataHandler, type ServerError } from '../../server'
import { listen, rawRequest, type Listening } from './http-listen'

/** A handler that records what the adapters hand it, so the adapters' own work is what is tested. */
function recordingHandler() {
  const seen: { call: string; body: unknown; openid?: string }[] = []
  const handler: OpenDataHandler = {
    async openData(body, openid) {
      seen.push({ call: 'openData', body, openid })
      return { reply: { ok: true, data: {} }, openid: openid || 'o-1', exchanged: (body as { sessionKeyValidFlag?: string })?.sessionKeyValidFlag === '0' }
    },
    async login(body) {
      seen.push({ call: 'login', body })
      return { reply: { ok: true }, openid: 'o-1', exchanged: true }
    },
  }
  return { handler, seen }
}

describe('createHttpHandler on node:http', () => {
  let http: Listening
  let seen: ReturnType<typeof recordingHandler>['seen']
  let identified: number
  let errors: { error: ServerError; stage: string }[]

  async function start(options: Partial<HttpAdapterOptions> = {}, handler?: OpenDataHandler) {
    const recording = recordingHandler()
    seen = recording.seen
    identified = 0
    errors = []
    http = await listen(
      createHttpHandler(handler || recording.handler, {
        identify: (req) => (identified++, req.headers['x-user'] as string | undefined),
        onLogin: (openid) => ({ token: `token-for-${openid}` }),
        onError: (error, context) => errors.push({ error, stage: context.stage }),
        maxBodyBytes: 1024,
        ...options,
      }),
    )
  }
  afterEach(() => http?.close())

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(http.base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => ({ status: r.status, body: await r.json() }))

  it('routes /login and /open-data, asks who is asking only for flag 1, and adds onLogin fields after a code exchange', async () => {
    await start()
    expect(await post('/login', '{"code":"c1"}')).toEqual({ status: 200, body: { ok: true, token: 'token-for-o-1' } })
    expect(await post('/open-data', '{"sessionKeyValidFlag":"0"}')).toEqual({ status: 200, body: { ok: true, data: {}, token: 'token-for-o-1' } })
    expect(identified).toBe(0)
    expect(await post('/open-data', '{"sessionKeyValidFlag":"1"}', { 'x-user': 'o-2' })).toEqual({ status: 200, body: { ok: true, data: {} } })
    expect(identified).toBe(1)
    expect(seen).toEqual([
      { call: 'login', body: { code: 'c1' } },
      { call: 'openData', body: { sessionKeyValidFlag: '0' }, openid: undefined },
      { call: 'openData', body: { sessionKeyValidFlag: '1' }, openid: 'o-2' },
    ])
  })

  it('treats an identify that throws as "not identified": logins still work and flag 1 goes on without an openid', async () => {
    await start({
      identify: () => {
        throw new Error('no token yet, token=abc')
      },
    })
    expect(await post('/login', '{"code":"c1"}')).toMatchObject({ status: 200, body: { ok: true } })
    expect(await post('/open-data', '{"sessionKeyValidFlag":"0","code":"c"}')).toMatchObject({ status: 200 })
    expect(await post('/open-data', '{"sessionKeyValidFlag":"1"}')).toMatchObject({ status: 200 })
    expect(seen[2]).toEqual({ call: 'openData', body: { sessionKeyValidFlag: '1' }, openid: undefined })
    expect(errors.map((e) => e.stage)).toEqual(['identify'])
    expect(JSON.stringify(errors[0].error) + errors[0].error.message).not.toContain('abc')
  })

  it('bounds an identify that never answers', async () => {
    await start({ identify: () => new Promise(() => undefined), hookTimeoutMs: 100 })
    expect(await post('/open-data', '{"sessionKeyValidFlag":"1"}')).toMatchObject({ status: 200 })
    expect(seen[0].openid).toBeUndefined()
  })

  it.each([
    ['a body that is not JSON', 400, '/open-data', '{nope', 'BAD_INPUT'],
    ['a body over the limit', 413, '/open-data', JSON.stringify({ encryptedData: 'A'.repeat(2048) }), 'TOO_LARGE'],
    ['an unknown path', 404, '/elsewhere', '{}', 'NOT_FOUND'],
  ])('answers %s with %i and never calls the handler', async (_what, status, path, body, reason) => {
    await start()
    expect(await post(path, body)).toEqual({ status, body: { ok: false, reason } })
    expect(seen).toEqual([])
  })

  it('answers a wrong method on its routes with 405 and Allow: POST', async () => {
    await start()
    const reply = await rawRequest(http.base + '/login', { method: 'GET' })
    expect(reply).toMatchObject({ status: 405, headers: { allow: 'POST' } })
    expect(JSON.parse(reply.text)).toEqual({ ok: false, reason: 'METHOD_NOT_ALLOWED' })
    expect(seen).toEqual([])
  })

  it.each([
    ['text/plain', 'text/plain;charset=UTF-8', '{"code":"c1"}'],
    ['a form (what a cross-site form can send)', 'application/x-www-form-urlencoded', 'code=c1'],
    ['multipart', 'multipart/form-data; boundary=x', '--x\r\n\r\n{"code":"c1"}\r\n--x--'],
    ['no content type', '', '{"code":"c1"}'],
  ])('refuses %s with 415 and never calls the handler', async (_what, type, body) => {
    await start()
    const reply = await rawRequest(http.base + '/login', { headers: type ? { 'content-type': type } : {}, body: [body] })
    expect({ status: reply.status, body: JSON.parse(reply.text) }).toEqual({ status: 415, body: { ok: false, reason: 'UNSUPPORTED_MEDIA_TYPE' } })
    expect(seen).toEqual([])
  })

  it('refuses a Content-Length over the limit before reading the body', async () => {
    await start()
    // The client declares a gigabyte and sends a few bytes: the answer comes without waiting for the rest.
    const reply = await rawRequest(http.base + '/open-data', { headers: { 'content-type': 'application/json', 'content-length': String(1e9) }, body: ['{"a":'], end: false })
    expect({ status: reply.status, body: JSON.parse(reply.text) }).toEqual({ status: 413, body: { ok: false, reason: 'TOO_LARGE' } })
    expect(seen).toEqual([])
  })

  it('answers a body that arrives too slowly with 408 at the deadline', async () => {
    await start({ bodyTimeoutMs: 200 })
    const started = Date.now()
    const reply = await rawRequest(http.base + '/open-data', { headers: { 'content-type': 'application/json', 'content-length': '100' }, body: ['{"sessionKey'], end: false })
    expect({ status: reply.status, body: JSON.parse(reply.text) }).toEqual({ status: 408, body: { ok: false, reason: 'BODY_TIMEOUT' } })
    expect(Date.now() - started).toBeLessThan(2000)
    expect(seen).toEqual([])
  })

  it('answers 500 INTERNAL, once, when onLogin returns what JSON cannot hold, and keeps serving', async () => {
    await start({ onLogin: () => ({ id: BigInt(1) }) })
    expect(await post('/login', '{"code":"c1"}')).toEqual({ status: 500, body: { ok: false, reason: 'INTERNAL' } })
    expect(errors.map((e) => e.stage)).toEqual(['reply'])
    expect(await post('/open-data', '{"sessionKeyValidFlag":"1"}')).toMatchObject({ status: 200, body: { ok: true } })
  })

  it('answers 500 INTERNAL without the error text when the handler throws, and tells onError without it either', async () => {
    await start({}, { openData: () => Promise.reject(new Error('redis down, key=secret')), login: () => Promise.reject(new Error('x')) })
    const reply = await rawRequest(http.base + '/open-data', { headers: { 'content-type': 'application/json' }, body: ['{}'] })
    expect(reply.status).toBe(500)
    expect(reply.text).toBe('{"ok":false,"reason":"INTERNAL"}')
    expect(errors).toHaveLength(1)
    expect(errors[0].error.message + JSON.stringify(errors[0].error)).not.toContain('secret')
  })

  it.each([
    ['neither identify nor sessionSecret', {}],
    ['both identify and sessionSecret', { identify: (): string => 'o', sessionSecret: 'x'.repeat(32) }],
    ['a short sessionSecret', { sessionSecret: 'short' }],
    ['maxBodyBytes 0', { identify: (): string => 'o', maxBodyBytes: 0 }],
    ['bodyTimeoutMs NaN', { identify: (): string => 'o', bodyTimeoutMs: NaN }],
  ])('throws a CONFIG error when made with %s', (_what, options) => {
    expect(() => createHttpHandler(recordingHandler().handler, options as HttpAdapterOptions)).toThrow(expect.objectContaining({ code: 'CONFIG' }))
  })
})

describe('createCloudFunction', () => {
  it("takes the caller's openid from WeChat's context and routes by action", async () => {
    const { handler, seen } = recordingHandler()
    const main = createCloudFunction(handler, { cloud: { getWXContext: () => ({ OPENID: 'openid-from-wx-context' }) } })
    expect(await main({ action: 'login', code: 'c1' })).toEqual({ ok: true })
    expect(await main({ action: 'openData', payload: { sessionKeyValidFlag: '1' } })).toEqual({ ok: true, data: {} })
    expect(seen).toEqual([
      { call: 'login', body: { code: 'c1' } },
      { call: 'openData', body: { sessionKeyValidFlag: '1' }, openid: 'openid-from-wx-context' },
    ])
  })

  it('never takes the openid from the event body, which the caller writes', async () => {
    const { handler, seen } = recordingHandler()
    const main = createCloudFunction(handler, { cloud: { getWXContext: () => ({}) } })
    await main({ payload: { sessionKeyValidFlag: '1' }, userInfo: { openId: 'someone-else' } } as Parameters<typeof main>[0])
    expect(seen[0].openid).toBeUndefined()
  })

  it('refuses to be made without a trusted source of the openid', () => {
    expect(() => createCloudFunction(recordingHandler().handler, undefined as never)).toThrow(expect.objectContaining({ code: 'CONFIG' }))
  })
})

/**
 * The public contract of createSessionGuard, call by call, against the WeChat
 * model with fixed latencies.
 */
import { createSessionGuard, isGuardError, type GuardEvent, type SessionGuardOptions } from '../miniprogram_npm_src'
import { LATENCIES } from '../simulator/scenarios/side-by-side'
import type { Reply } from '../simulator/world/thread-server'
import { World, runToQuiet, timed } from '../simulator/world/world'
import { POLICY, settle, setup } from './support/model-guard'


describe('getPhoneNumber sends the seed thread’s payload', () => {
  it("in a valid session: checkSession once, no wx.login, { code: '', sessionKeyValidFlag: '1', iv, encryptedData }", async () => {
    const { world, guard } = setup()
    const { detail } = world.wechat.consent('a')
    const outcome = await settle(world, guard.getPhoneNumber(detail))
    expect(outcome).toEqual({ status: 'ok', reply: { ok: true, phoneNumber: '13800138000', tag: 'a' } })
    expect(world.network.sent.map((r) => r.payload)).toEqual([
      { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData },
    ])
    expect(world.wechat.calls.map((c) => c.api)).toEqual(['checkSession'])
  })

  it("in an expired session: one wx.login, and its code goes with flag '0'", async () => {
    const { world, guard } = setup()
    world.wechat.expire()
    const { detail } = world.wechat.consent('b')
    await settle(world, guard.getPhoneNumber(detail))
    const [code] = [...world.wechat.codes.keys()]
    expect(world.network.sent.map((r) => r.payload)).toEqual([
      { code, sessionKeyValidFlag: '0', iv: detail.iv, encryptedData: detail.encryptedData },
    ])
    expect(world.wechat.calls.map((c) => c.api)).toEqual(['checkSession', 'login'])
  })

  it('passes the new-style phone code and cloudID alongside, never in place of the login code', async () => {
    const { world, guard } = setup()
    world.wechat.expire()
    const { detail } = world.wechat.consent('c', true)
    await settle(world, guard.getPhoneNumber({ ...detail, cloudID: 'cloud-1' }))
    const payload = world.network.sent[0].payload
    expect(payload.phoneCode).toBe('phone-c')
    expect(payload.cloudID).toBe('cloud-1')
    expect(payload.code).toMatch(/^code-/)
  })

  it('keeps base64 "+" and "/" intact on the wire', async () => {
    const { world, guard } = setup()
    const detail = { errMsg: 'getPhoneNumber:ok', iv: 'a+b/c+d/e+f/g+h/i+j/kw==', encryptedData: 'x+y/z+0/1+2/3+4/5+6/7+8/9+==' }
    await settle(world, guard.getPhoneNumber(detail))
    expect(world.network.sent[0].payload).toMatchObject({ iv: detail.iv, encryptedData: detail.encryptedData })
  })
})

describe('getPhoneNumber answers bad or refused details without touching the network', () => {
  it.each([
    ['iOS and devtools', 'getPhoneNumber:fail user deny'],
    ['Android', 'getPhoneNumber:fail:user deny'],
  ])('reports the user’s refusal (%s form) as denied', async (_form, errMsg) => {
    const { world, guard } = setup()
    expect(await settle(world, guard.getPhoneNumber({ errMsg }))).toEqual({ status: 'denied', errMsg })
    expect(world.network.sent).toHaveLength(0)
    expect(world.wechat.calls).toHaveLength(0)
  })

  it('reports errno 1400001 as NO_QUOTA', async () => {
    const { world, guard } = setup()
    const outcome = await settle(world, guard.getPhoneNumber({ errMsg: 'getPhoneNumber:fail no quota', errno: 1400001 }))
    expect(outcome).toMatchObject({ status: 'failed', reason: 'NO_QUOTA' })
    expect(world.network.sent).toHaveLength(0)
  })

  it('reports any other WeChat failure as WX_FAIL', async () => {
    const { world, guard } = setup()
    const outcome = await settle(world, guard.getPhoneNumber({ errMsg: 'getPhoneNumber:fail no permission' }))
    expect(outcome).toMatchObject({ status: 'failed', reason: 'WX_FAIL' })
  })

  it.each([
    ['undefined', undefined],
    ['a string', 'detail'],
    ['no encryptedData', { errMsg: 'getPhoneNumber:ok', iv: 'aGVsbG8=' }],
    ['no iv', { errMsg: 'getPhoneNumber:ok', encryptedData: 'aGVsbG8=' }],
    ['non-base64 encryptedData', { errMsg: 'getPhoneNumber:ok', iv: 'aGVsbG8=', encryptedData: 'not base64!' }],
    ['a number for iv', { errMsg: 'getPhoneNumber:ok', iv: 42, encryptedData: 'aGVsbG8=' }],
  ])('rejects %s as INVALID_DETAIL with a typed error', async (_what, detail) => {
    const { world, guard } = setup()
    const outcome = await settle(world, guard.getPhoneNumber(detail))
    expect(outcome).toMatchObject({ status: 'failed', reason: 'INVALID_DETAIL' })
    expect(outcome.status === 'failed' && isGuardError(outcome.error, 'INVALID_DETAIL')).toBe(true)
    expect(world.network.sent).toHaveLength(0)
    expect(world.wechat.calls).toHaveLength(0)
  })
})

describe('adapting to an existing server', () => {
  it('renames payload fields with `fields`', async () => {
    const { world, guard } = setup(true, {
      fields: { code: 'jsCode', sessionKeyValidFlag: 'flag' },
      send: (payload) => world.network.send({ ...payload, code: payload.jsCode, sessionKeyValidFlag: payload.flag }),
    })
    const { detail } = world.wechat.consent('d')
    await settle(world, guard.getPhoneNumber(detail))
    expect(Object.keys(world.network.sent[0].payload).sort()).toEqual(['code', 'encryptedData', 'flag', 'iv', 'jsCode', 'sessionKeyValidFlag'])
  })

  it('reads another reply shape through `classify`', async () => {
    const { world, guard } = setup(true, {
      send: (payload) => world.network.send(payload).then((r) => ({ errcode: r.ok ? 0 : 1001 }) as unknown as Reply),
      classify: (reply) => ((reply as { errcode: number }).errcode === 0 ? 'ok' : 'decrypt-failed'),
    })
    const { detail } = world.wechat.consent('e')
    expect(await settle(world, guard.getPhoneNumber(detail))).toEqual({ status: 'ok', reply: { errcode: 0 } })
  })

  it('reports a business error from the server as SERVER with the reply', async () => {
    const { world, guard } = setup(true, { send: () => Promise.resolve({ ok: false, reason: 'PHONE_TAKEN' }) })
    const { detail } = world.wechat.consent('f')
    expect(await settle(world, guard.getPhoneNumber(detail))).toMatchObject({
      status: 'failed',
      reason: 'SERVER',
      reply: { ok: false, reason: 'PHONE_TAKEN' },
    })
  })

  it('POSTs JSON through wx.request when given `url`', async () => {
    const world = new World(POLICY, timed(LATENCIES), true)
    const requests: { url: string; method?: string; header?: Record<string, string>; data?: unknown }[] = []
    const wx = {
      ...world.wx,
      request: (options: { url: string; method?: 'POST'; data?: unknown; header?: Record<string, string>; success?: (r: { statusCode: number; data: unknown }) => void }) => {
        requests.push(options)
        void world.network.send(options.data as Record<string, string>).then((reply) => options.success?.({ statusCode: 200, data: reply }))
      },
    }
    const guard = createSessionGuard({ wx, url: 'https://api.example.com/phone', clock: world.clock })
    const { detail } = world.wechat.consent('g')
    expect(await settle(world, guard.getPhoneNumber(detail))).toMatchObject({ status: 'ok' })
    expect(requests).toEqual([
      expect.objectContaining({
        url: 'https://api.example.com/phone',
        method: 'POST',
        // The returning user's session token rides along.
        header: { 'content-type': 'application/json', Authorization: `Bearer ${world.app.issued[0]}` },
        data: { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData },
      }),
    ])
  })
})

describe('prepare() through loginUrl', () => {
  it('POSTs { code } as JSON through wx.request', async () => {
    const world = new World(POLICY, timed(LATENCIES), false)
    const requests: { url: string; data?: unknown }[] = []
    const wx = {
      ...world.wx,
      request: (options: { url: string; data?: unknown; success?: (r: { statusCode: number; data: unknown }) => void }) => {
        requests.push({ url: options.url, data: options.data })
        void world.network.sendLogin((options.data as { code: string }).code).then((reply) => options.success?.({ statusCode: 200, data: reply }))
      },
    }
    const guard = createSessionGuard({ wx, url: 'https://api.example.com/phone', loginUrl: 'https://api.example.com/login', clock: world.clock })
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    expect(requests).toEqual([{ url: 'https://api.example.com/login', data: { code: [...world.wechat.codes.keys()][0] } }])
    expect(world.server.storedKey).toBe(world.wechat.key)
  })
})

describe('diagnostics', () => {
  it('never carry a login code, iv, encryptedData or phone code', async () => {
    const events: GuardEvent[] = []
    const { world, guard } = setup(true, { onEvent: (e) => events.push(e) })
    world.wechat.expire()
    const { detail } = world.wechat.consent('h', true)
    await settle(world, guard.getPhoneNumber(detail))
    await settle(world, guard.prepare())
    const text = JSON.stringify(events)
    expect(events.length).toBeGreaterThan(3)
    for (const secret of [...world.wechat.codes.keys(), detail.iv, detail.encryptedData, detail.code as string]) {
      expect(text).not.toContain(secret)
    }
  })

  it('survive a listener that throws', async () => {
    const { world, guard } = setup(true, {
      onEvent: () => {
        throw new Error('listener bug')
      },
    })
    const { detail } = world.wechat.consent('i')
    expect(await settle(world, guard.getPhoneNumber(detail))).toMatchObject({ status: 'ok' })
  })
})

describe('configuration errors are typed and immediate', () => {
  it.each([
    ['no wx', { send: () => Promise.resolve({}) }],
    ['no send or url', { wx: { login() {}, checkSession() {} } }],
    ['a negative timeout', { wx: { login() {}, checkSession() {} }, send: () => Promise.resolve({}), timeout: -1 }],
  ])('%s throws SessionGuardError CONFIG', (_what, options) => {
    expect(() => createSessionGuard(options as SessionGuardOptions)).toThrow(expect.objectContaining({ name: 'SessionGuardError', code: 'CONFIG' }))
  })
})

describe('prepare()', () => {
  it('does not log in while the session is valid', async () => {
    const { world, guard } = setup()
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: false })
    expect(world.wechat.logins).toHaveLength(0)
  })

  it('logs in once and hands the code to sendLogin when the session expired', async () => {
    const { world, guard } = setup(false)
    expect(await settle(world, Promise.all([guard.prepare(), guard.prepare(), guard.prepare()]))).toEqual([
      { status: 'ok', loggedIn: true },
      { status: 'ok', loggedIn: true },
      { status: 'ok', loggedIn: true },
    ])
    expect(world.wechat.logins).toHaveLength(1)
    expect(world.network.sent).toEqual([expect.objectContaining({ kind: 'login' })])
    expect(world.server.storedKey).toBe(world.wechat.key)
  })

  it('logs in after invalidate() even though checkSession would succeed', async () => {
    const { world, guard } = setup()
    world.server.loseKey()
    guard.invalidate()
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    expect(world.server.storedKey).toBe(world.wechat.key)
  })

  it('reports NO_LOGIN_ROUTE instead of logging in when there is nowhere to send the code', async () => {
    const world = new World(POLICY, timed(LATENCIES), false)
    const guard = createSessionGuard({ wx: world.wx, send: world.network.send, clock: world.clock })
    expect(await settle(world, guard.prepare())).toEqual({ status: 'failed', reason: 'NO_LOGIN_ROUTE' })
    expect(world.wechat.logins).toHaveLength(0)
  })
})

describe('logins wait for open data', () => {
  it('openData runs fetch under a hold: a login asked for meanwhile starts only after the server decrypted', async () => {
    const { world, guard } = setup()
    guard.invalidate()
    let prepared: Promise<unknown> | undefined
    const outcome = guard.openData(() => {
      prepared = guard.prepare()
      const { detail } = world.wechat.consent('werun')
      return Promise.resolve({ errMsg: 'getWeRunData:ok', encryptedData: detail.encryptedData, iv: detail.iv })
    })
    expect(await settle(world, outcome)).toMatchObject({ status: 'ok', reply: { tag: 'werun' } })
    await settle(world, prepared as Promise<unknown>)
    const decrypted = world.server.handled[0].at
    expect(world.wechat.logins).toHaveLength(1)
    expect(world.wechat.logins[0].at).toBeGreaterThanOrEqual(decrypted)
  })

  it('openData reports a refused authorization as denied and a bad fetch as INVALID_ARGUMENT', async () => {
    const { world, guard } = setup()
    expect(await settle(world, guard.openData(() => Promise.reject({ errMsg: 'getWeRunData:fail auth deny' })))).toEqual({
      status: 'denied',
      errMsg: 'getWeRunData:fail auth deny',
    })
    expect(await settle(world, guard.openData('nope' as unknown as () => unknown))).toMatchObject({ status: 'failed', reason: 'INVALID_ARGUMENT' })
    expect(world.network.sent).toHaveLength(0)
  })

  it('holdLogins() keeps a login back until released', async () => {
    const { world, guard } = setup()
    guard.invalidate()
    const release = guard.holdLogins()
    const prepared = guard.prepare()
    world.clock.setTimeout(release, 2000)
    await settle(world, prepared)
    expect(world.wechat.logins[0].at).toBeGreaterThanOrEqual(2000)
  })

  it('holdLogins(maxMs) lets go by itself after maxMs', async () => {
    const { world, guard } = setup()
    guard.invalidate()
    guard.holdLogins(1500)
    await settle(world, guard.prepare())
    expect(world.wechat.logins[0].at).toBe(1500)
  })
})

describe('bounds', () => {
  it('settles with TIMEOUT when the server never answers, and leaves nothing behind', async () => {
    const { world, guard } = setup(true, { send: () => new Promise<Reply>(() => undefined) })
    const { detail } = world.wechat.consent('j')
    const started = world.clock.now()
    const outcome = guard.getPhoneNumber(detail)
    const settledAt = outcome.then(() => world.clock.now())
    await runToQuiet(world.clock)
    expect(await outcome).toMatchObject({ status: 'failed', reason: 'TIMEOUT' })
    expect((await settledAt) - started).toBe(5000)
    expect(guard.inspect()).toMatchObject({ holds: 0, login: 'idle', waiters: 0 })
  })

  it('settles with a failure when wx.login never calls back', async () => {
    const { world, guard } = setup(false, { wx: { login: () => undefined, checkSession: (o) => o.fail?.({}) } })
    const { detail } = world.wechat.consent('k')
    const outcome = guard.getPhoneNumber(detail)
    const settledAt = outcome.then(() => world.clock.now())
    await runToQuiet(world.clock)
    expect(await outcome).toMatchObject({ status: 'failed', reason: 'TIMEOUT' })
    expect(await settledAt).toBeLessThanOrEqual(5000)
  })

  it('leaves no hold, waiter or timer behind after 100k calls', async () => {
    const { world, guard } = setup()
    const { detail } = world.wechat.consent('load')
    let ok = 0
    for (let batch = 0; batch < 100; batch++) {
      const calls = Array.from({ length: 1000 }, (_, i) =>
        i % 10 === 0 ? guard.prepare() : i % 10 === 1 ? guard.getPhoneNumber({ errMsg: 'getPhoneNumber:fail user deny' }) : guard.getPhoneNumber(detail),
      )
      await runToQuiet(world.clock)
      ok += (await Promise.all(calls)).filter((o) => o.status === 'ok').length
    }
    expect(ok).toBe(90000)
    expect(guard.inspect()).toEqual({ holds: 0, login: 'idle', needsLogin: false, logins: 0, waiters: 0 })
    expect(world.clock.pending).toBe(0)
  })
})

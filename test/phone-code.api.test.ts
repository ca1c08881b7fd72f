/**
 * guard.getPhoneNumber with the details WeChat documents today: a phone code
 * alone (getPhoneNumber code-only, getRealtimePhoneNumber), a cloudID alone,
 * and the full detail; WeChat's refusals with their errno. Against the WeChat
 * model with fixed latencies.
 */
import { createSessionGuard, type SessionGuard, type SessionGuardOptions } from '../miniprogram_npm_src'
import { consentAs } from '../simulator/model/phone-consent'
import { LATENCIES } from '../simulator/scenarios/side-by-side'
import type { Reply } from '../simulator/world/thread-server'
import { World, runToQuiet, timed } from '../simulator/world/world'

const POLICY = { rotation: 'always', expiredConsent: 'expired-key' } as const

/**
 * A guard on the model, for a user who used the app before: a valid session, the server holding its
 * key. `token: false`: the phone's storage lost the app's session token (it holds one otherwise).
 */
function setup(options: { token?: boolean; extra?: Partial<SessionGuardOptions<Reply>> } = {}) {
  const world = new World(POLICY, timed(LATENCIES), true)
  if (options.token === false) world.app.storage.clear()
  const guardOptions: SessionGuardOptions<Reply> = {
    wx: world.wx,
    send: world.network.send,
    sendLogin: world.network.sendLogin,
    clock: world.clock,
    timeout: 5000,
    ...options.extra,
  }
  const guard: SessionGuard<Reply> = createSessionGuard(guardOptions)
  return { world, guard }
}

async function settle<T>(world: World, promise: Promise<T>): Promise<T> {
  await runToQuiet(world.clock)
  return promise
}

const apis = (world: World) => world.wechat.calls.map((c) => c.api)
const payloads = (world: World) => world.network.sent.map((r) => r.payload)

describe('a phone code alone reaches the server attributable to the user, with no key involved', () => {
  it.each([
    ['code-only getPhoneNumber', 'code-only'],
    ['getRealtimePhoneNumber', 'realtime'],
  ] as const)("%s without a session token: no checkSession, exactly one wx.login, its code with flag '0' beside the phone code", async (_what, shape) => {
    const { world, guard } = setup({ token: false })
    const { detail } = consentAs(world.wechat, 'a', shape)
    const outcome = await settle(world, guard.getPhoneNumber(detail))
    expect(outcome).toMatchObject({ status: 'ok', reply: { ok: true, phoneNumber: '13800138000', tag: 'a' } })
    const [code] = [...world.wechat.codes.keys()]
    expect(payloads(world)).toEqual([{ code, sessionKeyValidFlag: '0', phoneCode: 'phone-a' }])
    expect(apis(world)).toEqual(['login'])
    expect(guard.token()).toBe(world.app.issued[world.app.issued.length - 1])
  })

  it.each([
    ['code-only getPhoneNumber', 'code-only'],
    ['getRealtimePhoneNumber', 'realtime'],
  ] as const)("%s with a session token: no wx call at all, flag '1' with code ''", async (_what, shape) => {
    const { world, guard } = setup()
    const { detail } = consentAs(world.wechat, 'b', shape)
    expect(await settle(world, guard.getPhoneNumber(detail))).toMatchObject({ status: 'ok', reply: { tag: 'b' } })
    expect(payloads(world)).toEqual([{ code: '', sessionKeyValidFlag: '1', phoneCode: 'phone-b' }])
    expect(apis(world)).toEqual([])
  })

  it('sends a cloudID-only detail with its cloudID, iv and encryptedData absent', async () => {
    const { world, guard } = setup()
    const { detail } = consentAs(world.wechat, 'c', 'cloudID-only')
    expect(await settle(world, guard.getPhoneNumber(detail))).toMatchObject({ status: 'ok', reply: { tag: 'c' } })
    expect(payloads(world)).toEqual([{ code: '', sessionKeyValidFlag: '1', cloudID: 'cloud-c' }])
  })

  it('goes with a token while a consent dialog holds logins and a login is in flight: it waits for neither', async () => {
    const { world, guard } = setup()
    world.wechat.expire()
    const sealed = guard.getPhoneNumber(world.wechat.consent('sealed').detail) // checkSession fails: its login starts
    const tap: { start?: number; end?: number; loginState?: string; holds?: number } = {}
    world.clock.setTimeout(() => {
      tap.loginState = guard.inspect().login
      const release = guard.holdLogins()
      tap.holds = guard.inspect().holds
      tap.start = world.clock.now()
      void guard.getPhoneNumber(consentAs(world.wechat, 'd', 'code-only').detail).then((outcome) => {
        expect(outcome).toMatchObject({ status: 'ok', reply: { tag: 'd' } })
        tap.end = world.clock.now()
      })
      world.clock.setTimeout(release, 2000)
    }, LATENCIES['wx.checkSession'] + 1)
    await runToQuiet(world.clock)
    expect(tap).toMatchObject({ loginState: 'in-flight', holds: 1 })
    expect((tap.end as number) - (tap.start as number)).toBe(LATENCIES.request + LATENCIES.reply)
    await sealed
  })

  it('takes no hold, so a login for other data may start while the phone code is on its way', async () => {
    const { world, guard } = setup()
    void guard.getPhoneNumber(consentAs(world.wechat, 'e', 'code-only').detail)
    expect(guard.inspect().holds).toBe(0)
    guard.invalidate()
    const prepared = guard.prepare()
    await runToQuiet(world.clock)
    expect(await prepared).toEqual({ status: 'ok', loggedIn: true })
    const login = world.wechat.logins[0].at
    const sent = world.network.sent.find((r) => r.payload.phoneCode === 'phone-e')?.at as number
    expect(login).toBeLessThan(sent + LATENCIES.request + LATENCIES.reply)
  })

  it("falls back to a fresh login code in the same tap when the server no longer knows the token", async () => {
    const { world, guard } = setup({
      token: true,
      // A server whose token store lost this user: it identifies nobody by flag '1'.
      extra: { send: (p) => (p.sessionKeyValidFlag === '1' ? Promise.resolve({ ok: false, reason: 'SESSION_KEY_MISSING' }) : world.network.send(p)) },
    })
    const outcome = await settle(world, guard.getPhoneNumber(consentAs(world.wechat, 'f', 'code-only').detail))
    expect(outcome).toMatchObject({ status: 'ok', reply: { tag: 'f' } })
    expect(apis(world)).toEqual(['login'])
    expect(payloads(world)).toEqual([expect.objectContaining({ sessionKeyValidFlag: '0', phoneCode: 'phone-f' })])
  })

  it('gives concurrent code-only taps without a token one login: the first goes with its code, the others with the token it brought', async () => {
    const { world, guard } = setup({ token: false })
    const outcomes = ['g1', 'g2', 'g3'].map((tag) => guard.getPhoneNumber(consentAs(world.wechat, tag, 'code-only').detail))
    await runToQuiet(world.clock)
    expect((await Promise.all(outcomes)).map((o) => o.status)).toEqual(['ok', 'ok', 'ok'])
    expect(apis(world)).toEqual(['login'])
    expect(payloads(world).map((p) => [p.sessionKeyValidFlag, p.phoneCode])).toEqual([
      ['0', 'phone-g1'],
      ['1', 'phone-g2'],
      ['1', 'phone-g3'],
    ])
  })

  it('waits out a login whose request is still on its way after its caller gave up (no busy loop), then goes with the token that request brought', async () => {
    const { world, guard } = setup({
      token: false,
      // The first code-carrying request takes 7 s to be answered: its tap times out at 5 s, its phase lasts until it lands.
      extra: {
        send: (p) => {
          const slow = p.phoneCode === 'phone-s1'
          return slow ? new Promise((resolve) => world.clock.setTimeout(() => resolve(world.network.send(p)), 7000)) : world.network.send(p)
        },
      },
    })
    const first = guard.getPhoneNumber(consentAs(world.wechat, 's1', 'code-only').detail)
    let second: Promise<unknown> | undefined
    world.clock.setTimeout(() => (second = guard.getPhoneNumber(consentAs(world.wechat, 's2', 'code-only').detail)), 5500)
    await runToQuiet(world.clock)
    expect(await first).toMatchObject({ status: 'failed', reason: 'TIMEOUT' })
    expect(await second).toMatchObject({ status: 'ok', reply: { tag: 's2' } })
    expect(apis(world)).toEqual(['login'])
    expect(payloads(world).map((p) => [p.phoneCode, p.sessionKeyValidFlag])).toEqual([
      ['phone-s1', '0'],
      ['phone-s2', '1'],
    ])
  })

  it('answers a phone code the server refuses as failed: SERVER with the reply', async () => {
    const { world, guard } = setup()
    const { detail } = consentAs(world.wechat, 'h', 'code-only')
    await settle(world, guard.getPhoneNumber(detail))
    const again = await settle(world, guard.getPhoneNumber(detail))
    expect(again).toEqual({ status: 'failed', reason: 'SERVER', reply: { ok: false, reason: 'PHONE_CODE_REJECTED' } })
  })

  it("repairs the session before answering retry when a flag-'0' phone-code request gets a reply that proves nothing", async () => {
    let broken = true
    const { world, guard } = setup({
      token: false,
      // The server took the code and then failed (WeChat unavailable): it stored no key.
      extra: { send: (p) => (broken && p.sessionKeyValidFlag === '0' ? ((broken = false), Promise.resolve({ ok: false, reason: 'WECHAT_UNAVAILABLE' })) : world.network.send(p)) },
    })
    const outcome = await settle(world, guard.getPhoneNumber(consentAs(world.wechat, 'r', 'code-only').detail))
    expect(outcome).toEqual({ status: 'retry', reason: 'SERVER' })
    expect(world.network.sent.map((r) => r.kind)).toEqual(['login'])
    expect(await settle(world, guard.getPhoneNumber(consentAs(world.wechat, 'r2', 'code-only').detail))).toMatchObject({ status: 'ok', reply: { tag: 'r2' } })
  })

  it('answers retry, with the session repaired, when the login for a phone code fails', async () => {
    const { world, guard } = setup({ token: false })
    world.wechat.failNextLogins = 1
    const outcome = await settle(world, guard.getPhoneNumber(consentAs(world.wechat, 'i', 'code-only').detail))
    expect(outcome).toEqual({ status: 'retry', reason: 'LOGIN_FAILED' })
    expect(await settle(world, guard.getPhoneNumber(consentAs(world.wechat, 'i2', 'code-only').detail))).toMatchObject({ status: 'ok' })
  })
})

describe('the full detail keeps the sealed path', () => {
  it("checks the session and sends flag '1' with iv, encryptedData, phone code and cloudID", async () => {
    const { world, guard } = setup()
    const { detail } = consentAs(world.wechat, 'j', 'full')
    expect(await settle(world, guard.getPhoneNumber(detail))).toMatchObject({ status: 'ok', reply: { tag: 'j' } })
    expect(payloads(world)).toEqual([
      { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData, phoneCode: 'phone-j', cloudID: 'cloud-j' },
    ])
    expect(apis(world)).toEqual(['checkSession'])
  })

  it('repairs base64 bent on the way ("+" → space, a trailing newline) and the server decrypts it', async () => {
    const { world, guard } = setup()
    const { detail } = world.wechat.consent('k')
    const bent = { ...detail, encryptedData: `${detail.encryptedData.replace(/\+/g, ' ')}\n`, iv: detail.iv.replace(/=+$/, '') }
    expect(await settle(world, guard.getPhoneNumber(bent))).toMatchObject({ status: 'ok', reply: { tag: 'k' } })
    expect(payloads(world)[0]).toMatchObject({ iv: detail.iv, encryptedData: detail.encryptedData })
  })
})

describe('WeChat’s refusals carry WeChat’s errno, and nothing is sent', () => {
  it.each([
    ['declined', 'code-only', { status: 'denied', errMsg: 'getPhoneNumber:fail privacy permission is not authorized', errno: 104 }],
    ['declined', 'realtime', { status: 'denied', errMsg: 'getRealtimePhoneNumber:fail privacy permission is not authorized', errno: 104 }],
    ['undeclared', 'full', { status: 'failed', reason: 'PRIVACY_NOT_DECLARED', errno: 112 }],
  ] as const)('privacy %s on a %s button', async (privacy, shape, expected) => {
    const { world, guard } = setup()
    world.wechat.privacy = privacy
    const outcome = await settle(world, guard.getPhoneNumber(consentAs(world.wechat, 'p', shape).detail))
    expect(outcome).toMatchObject(expected)
    expect(world.network.sent).toHaveLength(0)
    expect(world.wechat.calls).toHaveLength(0)
  })

  it('keeps errno 1400001 on NO_QUOTA', async () => {
    const { world, guard } = setup()
    const outcome = await settle(world, guard.getPhoneNumber({ errMsg: 'getRealtimePhoneNumber:fail no quota', errno: 1400001 }))
    expect(outcome).toMatchObject({ status: 'failed', reason: 'NO_QUOTA', errno: 1400001 })
  })

  it("keeps openData's errno: a privacy refusal is denied with 104, another failure FETCH_FAILED with its errno", async () => {
    const { world, guard } = setup()
    const refusal = { errMsg: 'getWeRunData:fail privacy permission is not authorized', errno: 104 }
    expect(await settle(world, guard.openData(() => Promise.reject(refusal)))).toEqual({ status: 'denied', errMsg: refusal.errMsg, errno: 104 })
    const broken = { errMsg: 'getWeRunData:fail system error', errno: 1 }
    expect(await settle(world, guard.openData(() => Promise.reject(broken)))).toEqual({ status: 'failed', reason: 'FETCH_FAILED', error: broken, errno: 1 })
    const thrown = new Error('boom')
    expect(await settle(world, guard.openData(() => Promise.reject(thrown)))).toEqual({ status: 'failed', reason: 'FETCH_FAILED', error: thrown })
  })
})

describe('failures of WeChat calls other than the event carry their errno too', () => {
  it('keeps wx.login’s errno on LOGIN_FAILED', async () => {
    const world = new World(POLICY, timed(LATENCIES), true)
    const login: SessionGuardOptions['wx'] = {
      ...world.wx,
      login: (options) => world.clock.setTimeout(() => options.fail?.({ errMsg: 'login:fail timeout', errno: 3 }), 10),
    }
    const guard = createSessionGuard<Reply>({ wx: login, send: world.network.send, clock: world.clock, timeout: 5000 })
    world.wechat.expire()
    const outcome = await settle(world, guard.getPhoneNumber(world.wechat.consent('l').detail))
    expect(outcome).toMatchObject({ status: 'failed', reason: 'LOGIN_FAILED', errno: 3 })
  })

  it('keeps wx.request’s errno on NETWORK', async () => {
    const world = new World(POLICY, timed(LATENCIES), true)
    const failing: SessionGuardOptions['wx'] = { ...world.wx, request: (options: { fail?: (err: object) => void }) => options.fail?.({ errMsg: 'request:fail timeout', errno: 5 }) }
    const guard = createSessionGuard<Reply>({ wx: failing, url: 'https://api.example.com/phone', clock: world.clock, timeout: 5000 })
    const outcome = await settle(world, guard.getPhoneNumber(world.wechat.consent('m').detail))
    expect(outcome).toMatchObject({ status: 'failed', reason: 'NETWORK', errno: 5 })
  })
})

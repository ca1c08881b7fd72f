/**
 * The guard owning the app's session, call by call, against the WeChat model and the app server it
 * talks to (tokens on every code exchange, a protected business route, the phone's storage).
 */
import { createSessionGuard, type SessionGuardOptions } from '../../miniprogram_npm_src'
import { DEFAULT_STORAGE_KEY } from '../../miniprogram_npm_src/app-session/app-session'
import { consentAs } from '../../simulator/model/phone-consent'
import { LATENCIES } from '../../simulator/scenarios/side-by-side'
import type { Reply } from '../../simulator/world/thread-server'
import { World, runToQuiet, timed } from '../../simulator/world/world'

const POLICY = { rotation: 'always', expiredConsent: 'expired-key' } as const
const ME = { url: 'https://api.example.com/me' }

/** Consent in an expired session seals with a fresh key that the next login's code yields: the tap recovers with flag 0. */
const FRESH = { rotation: 'expired-only', expiredConsent: 'fresh-key' } as const

function setup(loggedIn = true, extra: Partial<SessionGuardOptions<Reply>> = {}, policies: { rotation: 'always' | 'expired-only'; expiredConsent: 'expired-key' | 'fresh-key' } = POLICY) {
  const world = new World(policies, timed(LATENCIES), loggedIn)
  const guard = createSessionGuard<Reply>({ wx: world.wx, send: world.network.send, sendLogin: world.network.sendLogin, clock: world.clock, timeout: 5000, ...extra })
  const logins = () => world.wechat.calls.filter((c) => c.api === 'login').length
  return { world, guard, logins }
}

async function settle<T>(world: World, promise: Promise<T>): Promise<T> {
  await runToQuiet(world.clock)
  return promise
}

describe('prepare() and the session token', () => {
  it('logs in on a first launch even while checkSession would succeed, and keeps the token it got', async () => {
    const { world, guard, logins } = setup(false)
    world.wechat.loginElsewhere() // WeChat's session is valid; the app has just never logged in
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    expect(logins()).toBe(1)
    expect(world.wechat.calls.map((c) => c.api)).toEqual(['login'])
    expect(guard.token()).toBe(world.app.issued[0])
    expect(world.app.storage.get(DEFAULT_STORAGE_KEY)).toEqual({ token: world.app.issued[0] })
  })

  it('with a stored token and a valid WeChat session never logs in', async () => {
    const { world, guard, logins } = setup(true)
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: false })
    expect(logins()).toBe(0)
    expect(guard.token()).toBe(world.app.issued[0])
  })

  it('after logout() forgets the token, storage included, and the next prepare() logs in', async () => {
    const { world, guard, logins } = setup(true)
    guard.logout()
    expect(guard.token()).toBeUndefined()
    expect(world.app.storage.has(DEFAULT_STORAGE_KEY)).toBe(false)
    await settle(world, guard.prepare())
    expect(logins()).toBe(1)
    expect(guard.token()).toBe(world.app.issued[1])
  })

  it('logs in only once for a server that issues no tokens', async () => {
    const world = new World(POLICY, timed(LATENCIES), false)
    const sendLogin = (code: string) => world.network.sendLogin(code).then(({ ok, reason }) => ({ ok, reason }))
    const guard = createSessionGuard<Reply>({ wx: world.wx, send: world.network.send, sendLogin, clock: world.clock, timeout: 5000 })
    await settle(world, guard.prepare())
    await settle(world, guard.prepare())
    await settle(world, guard.prepare())
    expect(world.wechat.logins).toHaveLength(1)
  })
})

describe('phone codes and the session token', () => {
  it('a code-only tap with the app’s token goes with flag 1 at once: no checkSession, no wx.login', async () => {
    const { world, guard } = setup(true)
    const outcome = await settle(world, guard.getPhoneNumber(consentAs(world.wechat, 'c', 'code-only').detail))
    expect(outcome).toMatchObject({ status: 'ok' })
    expect(world.wechat.calls).toEqual([])
    expect(world.network.sent.map((r) => r.payload.sessionKeyValidFlag)).toEqual(['1'])
  })

  it('a code-only tap without a token goes with a fresh login code, and the reply’s token is kept', async () => {
    const { world, guard } = setup(false)
    expect(await settle(world, guard.getPhoneNumber(consentAs(world.wechat, 'c', 'code-only').detail))).toMatchObject({ status: 'ok' })
    expect(world.network.sent.map((r) => r.payload.sessionKeyValidFlag)).toEqual(['0'])
    expect(guard.token()).toBe(world.app.issued[0])
  })
})

describe('url/loginUrl on the wire', () => {
  it('a login route answering HTTP 502, even with an ok body, establishes nothing: prepare() fails and the next one logs in again', async () => {
    const world = new World(POLICY, timed(LATENCIES), false)
    let status = 502
    const request = (o: { data: { code: string }; success?: (res: object) => void }) =>
      void world.network.sendLogin(o.data.code).then((reply) => {
        o.success?.({ statusCode: status, data: reply, header: {} })
        status = 200
      })
    const guard = createSessionGuard<Reply>({ wx: { ...world.wx, request }, url: 'https://s/open-data', loginUrl: 'https://s/login', clock: world.clock, timeout: 5000 })
    expect(await settle(world, guard.prepare())).toMatchObject({ status: 'failed', reason: 'NETWORK' })
    expect(guard.token()).toBeUndefined()
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    expect(world.wechat.logins).toHaveLength(2)
    expect(guard.token()).toBe(world.app.issued[1])
  })
})

describe('two guards on one wx', () => {
  it('share the token: the second guard’s prepare() does not log in again', async () => {
    const { world, guard, logins } = setup(false)
    const second = createSessionGuard<Reply>({ wx: world.wx, send: world.network.send, sendLogin: world.network.sendLogin, clock: world.clock, timeout: 5000 })
    await settle(world, guard.prepare())
    expect(second.token()).toBe(guard.token())
    expect(await settle(world, second.prepare())).toEqual({ status: 'ok', loggedIn: false })
    expect(logins()).toBe(1)
  })
})

describe('tokens from open-data replies', () => {
  it('takes the token of a flag-0 reply (a tap in an expired session) and sends it from then on', async () => {
    const { world, guard } = setup(true, {}, FRESH)
    world.wechat.expire()
    expect(await settle(world, guard.getPhoneNumber(world.wechat.consent('a').detail))).toMatchObject({ status: 'ok' })
    expect(guard.token()).toBe(world.app.issued[1])
    const res = await settle(world, guard.request(ME))
    expect(res.statusCode).toBe(200)
    expect(world.app.requests.map((r) => r.token)).toEqual([world.app.issued[1]])
  })

  it('takes the token of a reply to an openData call made with its own send', async () => {
    const { world, guard } = setup(true)
    world.wechat.expire()
    const send = (payload: Record<string, string>) => world.network.send(payload)
    const fetch = () => {
      const { detail } = world.wechat.consent('w')
      return Promise.resolve({ errMsg: 'getWeRunData:ok', iv: detail.iv, encryptedData: detail.encryptedData })
    }
    await settle(world, guard.openData(fetch, send))
    expect(guard.token()).toBe(world.app.issued[1])
  })
})

describe('guard.login()', () => {
  it('shares the login in flight: prepare() and login() together make one wx.login', async () => {
    const { world, guard, logins } = setup(false)
    const [prepared, loggedIn] = await settle(world, Promise.all([guard.prepare(), guard.login()]))
    expect(prepared).toEqual({ status: 'ok', loggedIn: true })
    expect(loggedIn).toEqual({ status: 'ok', loggedIn: true })
    expect(logins()).toBe(1)
  })

  it('waits for the holds: no wx.login while a consent dialog is open', async () => {
    const { world, guard, logins } = setup(true)
    const release = guard.holdLogins()
    const pending = guard.login()
    world.clock.setTimeout(() => {
      expect(logins()).toBe(0)
      release()
    }, 2000)
    expect(await settle(world, pending)).toEqual({ status: 'ok', loggedIn: true })
    expect(world.wechat.logins[0].at).toBeGreaterThanOrEqual(2000)
  })

  it('answers NO_LOGIN_ROUTE without calling wx.login when there is no login route', async () => {
    const { world, guard, logins } = setup(true, { sendLogin: undefined })
    expect(await settle(world, guard.login())).toEqual({ status: 'failed', reason: 'NO_LOGIN_ROUTE' })
    expect(logins()).toBe(0)
  })
})

describe('guard.request and the rest of the guard', () => {
  it('re-logs in after a refused token only once the consent hold is released, then replays', async () => {
    const { world, guard } = setup(true)
    world.app.expireTokens()
    const release = guard.holdLogins()
    const pending = guard.request(ME)
    world.clock.setTimeout(release, 1500)
    expect((await settle(world, pending)).statusCode).toBe(200)
    expect(world.wechat.logins.map((l) => l.at >= 1500)).toEqual([true])
    expect(world.app.requests.map((r) => r.status)).toEqual([401, 200])
  })

  it('a tap and a refused request at once: one wx.login, the tap succeeds, the request replays with the new token', async () => {
    const { world, guard } = setup(true, {}, FRESH)
    world.app.expireTokens()
    world.wechat.expire()
    const tap = guard.getPhoneNumber(world.wechat.consent('t').detail)
    const res = guard.request(ME)
    expect(await settle(world, tap)).toMatchObject({ status: 'ok' })
    expect((await res).statusCode).toBe(200)
    expect(world.wechat.logins).toHaveLength(1)
  })
})

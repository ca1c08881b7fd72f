/**
 * guard.request on its own: the token rides along, a refused token costs one login and one replay,
 * nothing loops, and every call settles by its deadline. The login here is a stand-in that shares one
 * flight the way the guard's does; the guard's own login is covered by the guard and property suites.
 */
import { RELOGIN_LIMIT, RELOGIN_PAUSE_MS, createAppRequest } from '../../miniprogram_npm_src/app-session/app-request'
import { createAppSession } from '../../miniprogram_npm_src/app-session/app-session'
import { SingleFlight } from '../../miniprogram_npm_src/primitives/single-flight'
import { TimerQueue } from '../../miniprogram_npm_src/primitives/timer-queue'
import type { LoginOutcome } from '../../miniprogram_npm_src/wire/outcome'
import type { WxLike, WxRequestOptions } from '../../miniprogram_npm_src/wire/wx-api'
import { AppServer } from '../../simulator/world/app-server'
import { VirtualClock } from '../../simulator/model/virtual-clock'

const TIMEOUT = 5000
const HOP_MS = 10
const LOGIN_MS = 50

function setup(options: { loggedIn?: boolean; loginWorks?: boolean; issuesTokens?: boolean; wx?: Partial<WxLike> } = {}) {
  const clock = new VirtualClock()
  const app = new AppServer((_label, fn) => clock.setTimeout(fn, HOP_MS), clock, options.loggedIn ?? true)
  const wx: WxLike = { login: () => undefined, checkSession: () => undefined, ...app.wx, ...options.wx }
  const session = createAppSession(wx)
  const flight = new SingleFlight<'login', LoginOutcome>()
  let logins = 0
  const login = () =>
    flight.do('login', () => {
      logins++
      return new Promise<LoginOutcome>((resolve) =>
        clock.setTimeout(() => {
          if (options.loginWorks === false) return resolve({ status: 'failed', reason: 'LOGIN_FAILED' })
          session.take(options.issuesTokens === false ? { ok: true } : { ok: true, token: app.issue() }, true)
          resolve({ status: 'ok', loggedIn: true })
        }, LOGIN_MS),
      )
    }).value
  const request = createAppRequest(wx, session, new TimerQueue(clock), TIMEOUT, login)
  return { clock, app, session, request, logins: () => logins }
}

async function quiet(clock: VirtualClock): Promise<void> {
  for (let i = 0; i < 10000; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    if (!clock.runNext()) {
      await new Promise((resolve) => setImmediate(resolve))
      if (clock.pending === 0) return
    }
  }
}

async function settle<T>(clock: VirtualClock, promise: Promise<T>): Promise<T> {
  await quiet(clock)
  return promise
}

const ME = { url: 'https://api.example.com/me' }

describe('guard.request', () => {
  it('sends the stored token as Authorization: Bearer and resolves with wx.request’s success result', async () => {
    const { clock, app, request, logins } = setup()
    const res = await settle(clock, request({ ...ME, header: { 'x-trace': '1' } }))
    expect(res).toMatchObject({ statusCode: 200, data: { ok: true } })
    expect(app.requests).toEqual([expect.objectContaining({ token: app.issued[0], status: 200 })])
    expect(logins()).toBe(0)
  })

  it('logs in first when the app has no token yet, then sends with the new one', async () => {
    const { clock, app, request, logins } = setup({ loggedIn: false })
    const res = await settle(clock, request(ME))
    expect(res.statusCode).toBe(200)
    expect(logins()).toBe(1)
    expect(app.requests.map((r) => r.token)).toEqual([app.issued[0]])
  })

  it('on a refused token: one login, then the request replayed once with the new token', async () => {
    const { clock, app, request, logins } = setup()
    app.expireTokens()
    const res = await settle(clock, request(ME))
    expect(res).toMatchObject({ statusCode: 200, data: { ok: true } })
    expect(logins()).toBe(1)
    expect(app.requests.map((r) => [r.token, r.status])).toEqual([
      [app.issued[0], 401],
      [app.issued[1], 200],
    ])
  })

  it('shares one login among concurrent requests that all saw the token refused', async () => {
    const { clock, app, request, logins } = setup()
    app.expireTokens()
    const results = await settle(clock, Promise.all([1, 2, 3, 4, 5].map(() => request(ME))))
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200])
    expect(logins()).toBe(1)
    expect(app.issued).toHaveLength(2)
  })

  it('holds requests that arrive during the re-login and sends them once, with the new token', async () => {
    const { clock, app, request } = setup()
    app.expireTokens()
    const first = request(ME)
    // Let the refusal arrive and the login start, then a newcomer arrives.
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setImmediate(resolve))
      clock.runNext()
    }
    const later = request({ url: 'https://api.example.com/orders' })
    await settle(clock, Promise.all([first, later]))
    expect(app.requests.filter((r) => r.url.endsWith('/orders'))).toEqual([expect.objectContaining({ token: app.issued[1], status: 200 })])
  })

  it('resolves with the replay’s response when the new token is refused too: no second login, no loop', async () => {
    const { clock, app, request, logins } = setup()
    app.expireTokens()
    const pending = request(ME)
    const original = app.issue.bind(app)
    // The server refuses even the fresh token (e.g. its secret changed between issue and check).
    app.issue = () => {
      const token = original()
      app.accepted.delete(token)
      return token
    }
    const res = await settle(clock, pending)
    expect(res).toMatchObject({ statusCode: 401, data: { reason: 'SESSION_EXPIRED' } })
    expect(logins()).toBe(1)
    expect(app.requests).toHaveLength(2)
  })

  it(`against a server that refuses every token: one login per request, none after ${RELOGIN_LIMIT} whose token was refused at once until ${RELOGIN_PAUSE_MS} ms pass`, async () => {
    const { clock, app, request, logins } = setup()
    app.issue = function (this: AppServer) {
      this.issued.push(`refused-${this.issued.length}`)
      return this.issued[this.issued.length - 1]
    }
    app.expireTokens()
    for (let i = 0; i < RELOGIN_LIMIT + 2; i++) expect((await settle(clock, request(ME))).statusCode).toBe(401)
    expect(logins()).toBe(RELOGIN_LIMIT)
    clock.setTimeout(() => undefined, RELOGIN_PAUSE_MS)
    await quiet(clock)
    await settle(clock, request(ME))
    expect(logins()).toBe(RELOGIN_LIMIT + 1)
  })

  it('resolves with the refused response when the login fails, without replaying', async () => {
    const { clock, app, request, logins } = setup({ loginWorks: false })
    app.expireTokens()
    const res = await settle(clock, request(ME))
    expect(res.statusCode).toBe(401)
    expect(logins()).toBe(1)
    expect(app.requests).toHaveLength(1)
  })

  it('sends without a token, and never logs in for one, once the server turned out to issue none', async () => {
    const { clock, app, request, logins } = setup({ loggedIn: false, issuesTokens: false })
    await settle(clock, request(ME))
    await settle(clock, request(ME))
    expect(logins()).toBe(1)
    expect(app.requests.map((r) => r.token)).toEqual([undefined, undefined])
  })

  it('rejects with wx.request’s own fail result when the request itself fails', async () => {
    const { clock, request } = setup({ wx: { request: (o: { fail?: (e: unknown) => void }) => o.fail?.({ errMsg: 'request:fail ssl hand shake error', errno: 600001 }) } as Partial<WxLike> })
    const failed = request(ME).catch((error: unknown) => error)
    expect(await settle(clock, failed)).toEqual({ errMsg: 'request:fail ssl hand shake error', errno: 600001 })
  })

  it('rejects with a TIMEOUT that has an errMsg when wx.request never calls back, at the deadline', async () => {
    const { clock, request } = setup({ wx: { request: () => undefined } })
    const pending = request(ME)
    const settled = pending.catch((error) => ({ error, at: clock.now() }))
    await quiet(clock)
    const { error, at } = (await settled) as { error: { code: string; errMsg: string }; at: number }
    expect(error).toMatchObject({ code: 'TIMEOUT', errMsg: 'request:fail timed out' })
    expect(at).toBe(TIMEOUT)
    expect(clock.pending).toBe(0)
  })

  it('passes the caller’s options through, its timeout included; without one, each wx.request gets the guard’s', async () => {
    const seen: WxRequestOptions[] = []
    const { clock, request } = setup({
      wx: { request: (o: WxRequestOptions & { success?: (r: unknown) => void }) => (seen.push(o), o.success?.({ statusCode: 204, data: '' })) } as Partial<WxLike>,
    })
    await settle(clock, request({ url: 'https://a/b', method: 'PUT', data: { x: 1 }, timeout: 800, responseType: 'text' }))
    await settle(clock, request({ url: 'https://a/b' }))
    expect(seen[0]).toMatchObject({ url: 'https://a/b', method: 'PUT', data: { x: 1 }, timeout: 800, responseType: 'text' })
    expect(seen[1].timeout).toBe(TIMEOUT)
  })

  it('hands none of the caller’s callbacks to wx (they would fire once per attempt): each is called once, for the final answer', async () => {
    // wx.request as WeChat runs it: success or fail, then complete.
    type Callbacks = { success?: (r: unknown) => void; fail?: (e: unknown) => void; complete?: (r: unknown) => void }
    const request401 = (o: Callbacks) => (o.success?.({ statusCode: 401, data: '' }), o.complete?.({ statusCode: 401 }))
    const { clock, request } = setup({ wx: { request: request401 } as Partial<WxLike> })
    const callbacks = { success: jest.fn(), fail: jest.fn(), complete: jest.fn() }
    expect((await settle(clock, request({ ...ME, ...callbacks }))).statusCode).toBe(401)
    // Two attempts (a refusal, a login, a replay), one answer.
    expect(callbacks.success).toHaveBeenCalledTimes(1)
    expect(callbacks.fail).not.toHaveBeenCalled()
    expect(callbacks.complete).toHaveBeenCalledTimes(1)
  })

  it.each([undefined, null, 'https://a', {}, { url: '' }, { url: 7 }])('rejects %p with a typed INVALID_ARGUMENT error', async (input) => {
    const { request } = setup()
    await expect(request(input as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', errMsg: 'request:fail invalid url' })
  })
})

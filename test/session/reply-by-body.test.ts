/**
 * url/loginUrl replies are read by their body, whatever the HTTP status: Spring, Laravel and most
 * PHP frameworks answer failures with 4xx/5xx and a JSON body, and such a server must get the same
 * recovery as one that answers 200. A body that is no reply (a proxy's HTML 502, nothing) stays a
 * failed request. A 401 on the data route is an expired app session: one login, the data once more.
 */
import { createSessionGuard, type ReplyKind, type SessionGuardOptions } from '../../miniprogram_npm_src'
import { consentAs } from '../../simulator/model/phone-consent'
import { LATENCIES } from '../../simulator/scenarios/side-by-side'
import type { Reply } from '../../simulator/world/thread-server'
import { World, runToQuiet, timed } from '../../simulator/world/world'
import { DATA_URL, LOGIN_URL, httpWorld, type HttpShape } from '../support/model-http'

/** A login in a valid session keeps the key: a flag-'0' recovery opens data sealed before it. */
const FRESH = { rotation: 'expired-only', expiredConsent: 'fresh-key' } as const

function setup(shape: HttpShape, extra: Partial<SessionGuardOptions<Reply>> = {}) {
  const world = new World(FRESH, timed(LATENCIES), true)
  const { wx, refused } = httpWorld(world, shape)
  const guard = createSessionGuard<Reply>({ wx, url: DATA_URL, loginUrl: LOGIN_URL, clock: world.clock, timeout: 5000, ...extra })
  const flags = () => world.network.sent.filter((r) => r.kind === 'data').map((r) => r.payload.sessionKeyValidFlag)
  return { world, guard, refused, flags }
}

async function settle<T>(world: World, promise: Promise<T>): Promise<T> {
  await runToQuiet(world.clock)
  return promise
}

/** Failures answered with `statusCode`, successes with 200. */
const failuresWith = (statusCode: number): HttpShape => ({ respond: (reply) => ({ statusCode: reply.ok ? 200 : statusCode }) })

describe('a protocol reply counts on any HTTP status', () => {
  it.each([200, 400, 409, 500, 503])('DECRYPT_FAILED on HTTP %i: the tap recovers with one login, the data goes with its code', async (statusCode) => {
    const { world, guard, flags } = setup(failuresWith(statusCode))
    world.wechat.loginElsewhere() // the key rotates under the server's stored one
    const outcome = await settle(world, guard.getPhoneNumber(world.wechat.consent('a').detail))
    expect(outcome).toEqual({ status: 'ok', reply: expect.objectContaining({ ok: true, tag: 'a' }) })
    expect(flags()).toEqual(['1', '0'])
    expect(world.wechat.logins).toHaveLength(1)
    expect(world.allViolations()).toEqual([])
  })

  it.each([400, 500])('SESSION_KEY_MISSING on HTTP %i: the tap recovers the same way', async (statusCode) => {
    const { world, guard, flags } = setup(failuresWith(statusCode))
    world.server.loseKey()
    expect(await settle(world, guard.getPhoneNumber(world.wechat.consent('b').detail))).toMatchObject({ status: 'ok' })
    expect(flags()).toEqual(['1', '0'])
  })

  it.each([400, 500])('CODE_REJECTED from the login route on HTTP %i is CODE_REJECTED, not a network failure', async (statusCode) => {
    const { world, guard } = setup({ respond: (_reply, route) => (route === 'login' ? { statusCode, data: { ok: false, reason: 'CODE_REJECTED' } } : { statusCode: 200 }) })
    world.wechat.expire()
    expect(await settle(world, guard.prepare())).toEqual({ status: 'failed', reason: 'CODE_REJECTED' })
  })

  it('a failure the server names on HTTP 503 comes back as SERVER with its body, like on 200', async () => {
    const body = { ok: false, reason: 'WECHAT_UNAVAILABLE' }
    const { world, guard } = setup({ respond: () => ({ statusCode: 503, data: body }) })
    expect(await settle(world, guard.getPhoneNumber(world.wechat.consent('c').detail))).toEqual({ status: 'failed', reason: 'SERVER', reply: body })
  })

  it('a reply shape the app’s classify recognises ({ code, msg }) counts on HTTP 500 too', async () => {
    const dialect = (reply: { ok: boolean; reason?: string }) => (reply.ok ? { code: 0, data: reply } : { code: reply.reason === 'DECRYPT_FAILED' ? 1001 : 1999, msg: reply.reason })
    const classify = (reply: unknown): ReplyKind => {
      const { code } = (reply || {}) as { code?: unknown }
      return code === 0 ? 'ok' : code === 1001 ? 'decrypt-failed' : 'failed'
    }
    const { world, guard, flags } = setup({ respond: (reply) => ({ statusCode: reply.ok ? 200 : 500, data: dialect(reply) }) }, { classify })
    world.wechat.loginElsewhere()
    expect(await settle(world, guard.getPhoneNumber(world.wechat.consent('d').detail))).toMatchObject({ status: 'ok', reply: { code: 0 } })
    expect(flags()).toEqual(['1', '0'])
  })
})

describe('a body that is no reply stays a failed request', () => {
  it.each([
    ['an HTML 502 from the proxy', 502, '<html><body>502 Bad Gateway</body></html>'],
    ['an empty 500', 500, ''],
    ['a 500 JSON that is not the protocol', 500, { error: 'Internal Server Error', status: 500 }],
    ['a 404 page', 404, 'Not Found'],
  ])('%s: failed NETWORK, no login, nothing recovered', async (_name, statusCode, data) => {
    const { world, guard, flags } = setup({ respond: () => ({ statusCode, data }) })
    const before = guard.token()
    const outcome = await settle(world, guard.getPhoneNumber(world.wechat.consent('e').detail))
    expect(outcome).toMatchObject({ status: 'failed', reason: 'NETWORK' })
    expect(flags()).toEqual(['1'])
    expect(world.wechat.logins).toHaveLength(0)
    expect(guard.token()).toBe(before)
  })
})

describe('HTTP 401 on the data route: the app session expired', () => {
  it.each([
    ['a protocol body', { ok: false, reason: 'SESSION_EXPIRED' }],
    ['an HTML body', '<html>401 Unauthorized</html>'],
    ['an empty body', ''],
  ])('with %s: the token is dropped, one login, the data goes once more with its code, and the new token is kept', async (_name, data) => {
    const { world, guard, refused, flags } = setup({ refuseUnknownTokens: { statusCode: 401, data } })
    const old = guard.token() as string
    world.app.expireTokens()
    const outcome = await settle(world, guard.getPhoneNumber(world.wechat.consent('f').detail))
    expect(outcome).toMatchObject({ status: 'ok', reply: { ok: true, tag: 'f' } })
    expect(refused.map((r) => [r.payload.sessionKeyValidFlag, r.token])).toEqual([['1', old]])
    expect(flags()).toEqual(['0'])
    expect(world.wechat.logins).toHaveLength(1)
    expect(guard.token()).toBe(world.app.issued[world.app.issued.length - 1])
    expect(guard.token()).not.toBe(old)
    expect(world.allViolations()).toEqual([])
  })

  it('an app’s own send that gets { ok: false, reason: SESSION_EXPIRED } recovers the same way: it sees no status, the body says it', async () => {
    const world = new World(FRESH, timed(LATENCIES), true)
    const old = world.app.issued[0]
    world.app.expireTokens()
    let guard: ReturnType<typeof createSessionGuard<Reply>> | undefined = undefined
    const send = (payload: Record<string, string>): Promise<Reply> =>
      payload.sessionKeyValidFlag === '1' && !world.app.accepted.has(guard?.token() as string) ? Promise.resolve({ ok: false, reason: 'SESSION_EXPIRED' }) : world.network.send(payload)
    guard = createSessionGuard<Reply>({ wx: world.wx, send, sendLogin: world.network.sendLogin, clock: world.clock, timeout: 5000 })
    expect(await settle(world, guard.getPhoneNumber(world.wechat.consent('j').detail))).toMatchObject({ status: 'ok', reply: { ok: true, tag: 'j' } })
    expect(world.network.sent.map((r) => r.payload.sessionKeyValidFlag)).toEqual(['0'])
    expect(world.wechat.logins).toHaveLength(1)
    expect(guard.token()).not.toBe(old)
  })

  it('a phone-code tap whose token is refused redeems its code with a fresh login code, once', async () => {
    const { world, guard, refused, flags } = setup({ refuseUnknownTokens: { statusCode: 401, data: { ok: false, reason: 'SESSION_EXPIRED' } } })
    world.app.expireTokens()
    const outcome = await settle(world, guard.getPhoneNumber(consentAs(world.wechat, 'g', 'code-only').detail))
    expect(outcome).toMatchObject({ status: 'ok' })
    expect(refused).toHaveLength(1)
    expect(flags()).toEqual(['0'])
    expect(world.wechat.logins).toHaveLength(1)
  })

  it('the recovery login waits for a consent hold like any other', async () => {
    const { world, guard } = setup({ refuseUnknownTokens: { statusCode: 401, data: '' } })
    world.app.expireTokens()
    const release = guard.holdLogins()
    world.clock.setTimeout(release, 3000)
    expect(await settle(world, guard.getPhoneNumber(world.wechat.consent('h').detail))).toMatchObject({ status: 'ok' })
    expect(world.wechat.logins.map((l) => l.at >= 3000)).toEqual([true])
    expect(world.allViolations()).toEqual([])
  })

  it('a server that answers 401 to everything costs one login and ends, never a loop', async () => {
    const { world, guard } = setup({ respond: () => ({ statusCode: 401, data: '' }) }, { loginUrl: undefined })
    const outcome = await settle(world, guard.getPhoneNumber(world.wechat.consent('i').detail))
    expect(outcome).toMatchObject({ status: 'failed' })
    expect(world.wechat.logins).toHaveLength(1)
    expect(guard.token()).toBeUndefined()
  })
})

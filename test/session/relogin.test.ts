/**
 * When guard.request logs in again, against the WeChat model and the app's server: a refused token
 * costs one shared login and one replay; only a login that really ran and whose new token was refused
 * at once pauses re-logins, and then only for that token; a failed login never pauses anything.
 */
import { RELOGIN_PAUSE_MS } from '../../miniprogram_npm_src/app-session/app-request'
import { SessionGuardError } from '../../miniprogram_npm_src'
import type { World } from '../../simulator/world/world'
import { setup, settle } from '../support/model-guard'

const ME = { url: 'https://api.example.com/me' }
const ADMIN = { url: 'https://api.example.com/admin' }

/** A login route that answers HTTP 502 the next `times` times (the server may still have stored the key). */
function failingLogin(world: World, times: number) {
  let left = times
  return (code: string) =>
    world.network.sendLogin(code).then((reply) => {
      if (left-- > 0) throw new SessionGuardError('NETWORK', 'HTTP 502')
      return reply
    })
}

const later = (world: World, ms: number) => new Promise<void>((resolve) => world.clock.setTimeout(resolve, ms))

describe('a failed login never pauses re-logins', () => {
  it('four launch requests share one login that fails (a 502); the next request logs in and succeeds', async () => {
    const { world, guard } = setup(false, (w) => ({ sendLogin: failingLogin(w, 1) }))
    const launch = await settle(world, Promise.all([1, 2, 3, 4].map(() => guard.request(ME))))
    expect(launch.map((r) => r.statusCode)).toEqual([401, 401, 401, 401])
    expect(world.wechat.logins).toHaveLength(1)
    expect((await settle(world, guard.request(ME))).statusCode).toBe(200)
    expect(world.wechat.logins).toHaveLength(2)
  })

  it('requests that waited out an 11 s consent dialog made no login: once it closes, the next request logs in', async () => {
    const { world, guard } = setup(true)
    world.app.expireTokens()
    guard.holdLogins(11000)
    const waited = await settle(world, Promise.all([1, 2, 3, 4].map(() => guard.request(ME))))
    expect(waited.map((r) => r.statusCode)).toEqual([401, 401, 401, 401])
    expect(world.wechat.logins).toHaveLength(0)
    expect(world.clock.now()).toBeGreaterThanOrEqual(11000)
    expect((await settle(world, guard.request(ME))).statusCode).toBe(200)
    expect(world.wechat.logins).toHaveLength(1)
  })
})

describe('a route that refuses even a brand-new token', () => {
  it('costs one login, not one per call, and the rest of the app keeps its token', async () => {
    const { world, guard } = setup(true)
    world.app.forbidden.add(ADMIN.url)
    for (let i = 0; i < 15; i++) {
      expect((await settle(world, guard.request(ADMIN))).statusCode).toBe(401)
      expect((await settle(world, guard.request(ME))).statusCode).toBe(200)
    }
    expect(world.wechat.logins).toHaveLength(1)
    expect(world.app.requests.filter((r) => r.url === ME.url).map((r) => r.token)).toEqual(Array(15).fill(world.app.issued[1]))
  })

  it(`logs in for it again only once ${RELOGIN_PAUSE_MS} ms have passed since the new token was refused`, async () => {
    const { world, guard } = setup(true)
    world.app.forbidden.add(ADMIN.url)
    await settle(world, guard.request(ADMIN))
    await settle(world, guard.request(ME))
    const refusedAt = world.app.requests.filter((r) => r.url === ADMIN.url)[1].at
    await settle(world, later(world, refusedAt + RELOGIN_PAUSE_MS - 100 - world.clock.now()))
    await settle(world, guard.request(ADMIN))
    expect(world.wechat.logins).toHaveLength(1)
    await settle(world, later(world, 100))
    await settle(world, guard.request(ADMIN))
    expect(world.wechat.logins).toHaveLength(2)
  })

  it('a real expiry later still costs one login and every request succeeds with the new token', async () => {
    const { world, guard } = setup(true)
    world.app.forbidden.add(ADMIN.url)
    await settle(world, guard.request(ADMIN))
    world.app.expireTokens()
    expect((await settle(world, guard.request(ME))).statusCode).toBe(200)
    expect(world.wechat.logins).toHaveLength(2)
  })
})

describe('a successful re-login means one replay, whatever token it returned', () => {
  it('a server whose token is the same again (deterministic tokens) gets the requests replayed, with one login', async () => {
    const { world, guard } = setup(true)
    const same = world.app.issued[0]
    world.app.issue = () => (world.app.accepted.add(same), world.app.issued.push(same), same)
    world.app.expireTokens()
    const results = await settle(world, Promise.all([1, 2, 3].map(() => guard.request(ME))))
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200])
    expect(world.wechat.logins).toHaveLength(1)
  })
})

describe('a login reply that lands after the guard’s timeout', () => {
  it('still brings its token when it proves the login: the next request sends it and logs in no more', async () => {
    const { world, guard } = setup(false, (w) => ({ sendLogin: (code: string) => later(w, 7000).then(() => w.network.sendLogin(code)) }))
    expect(await settle(world, guard.prepare())).toMatchObject({ status: 'failed', reason: 'TIMEOUT' })
    expect(guard.token()).toBe(world.app.issued[0])
    expect((await settle(world, guard.request(ME))).statusCode).toBe(200)
    expect(world.wechat.logins).toHaveLength(1)
  })

  it('a late reply that proves nothing brings no token', async () => {
    const { world, guard } = setup(false, (w) => ({
      sendLogin: (code: string) => later(w, 7000).then(() => w.network.sendLogin(code).then((reply) => ({ ...reply, ok: false, reason: 'WECHAT_UNAVAILABLE' }))),
    }))
    await settle(world, guard.prepare())
    expect(guard.token()).toBeUndefined()
  })
})

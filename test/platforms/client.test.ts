/**
 * createSessionGuard({ platform }): each platform with the race, by uni-app's provider name, gets its
 * API object from its own global, logs in with its own call, and reads its own checkSession results;
 * Alipay, which has no session_key, is refused. Against the platform model (simulator/model/platforms.ts).
 */
import { createSessionGuard, isGuardError, type Platform, type SessionGuardOptions } from '../../miniprogram_npm_src'
import { ALL_PROFILES, PROFILES, type PlatformProfile } from '../../simulator/model/platforms'
import { consentAs } from '../../simulator/model/phone-consent'
import { LATENCIES } from '../../simulator/scenarios/side-by-side'
import type { Reply } from '../../simulator/world/thread-server'
import { World, timed } from '../../simulator/world/world'
import { POLICY, settle } from '../support/model-guard'

const globals = globalThis as Record<string, unknown>
const GLOBAL_NAMES = ALL_PROFILES.map((p) => p.global)

afterEach(() => {
  for (const name of GLOBAL_NAMES) delete globals[name]
})

function worldOn(profile: PlatformProfile, loggedIn = true) {
  return new World(POLICY, timed(LATENCIES), loggedIn, undefined, profile)
}

const routes = (world: World): Partial<SessionGuardOptions<Reply>> => ({
  send: world.network.send,
  sendLogin: world.network.sendLogin,
  clock: world.clock.device,
  timeout: 5000,
})

describe.each(ALL_PROFILES.map((p) => [p.name, p] as const))('platform %s', (name, profile) => {
  it(`takes its API object from the global \`${profile.global}\` and logs in with ${profile.global}.${profile.loginCall}`, async () => {
    const world = worldOn(profile)
    globals[profile.global] = world.wx
    const guard = createSessionGuard<Reply>({ platform: name, ...routes(world) })
    world.wechat.expire()
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    const [code] = [...world.wechat.codes.keys()]
    expect(world.network.sent.map((r) => [r.kind, r.payload.code])).toEqual([['login', code]])
    expect(world.server.storedKey).toBe(world.wechat.key)
    expect(world.wechat.calls.map((c) => c.api)).toEqual(['checkSession', 'login'])
  })

  it('in a valid session sends flag 1 with no login, and the data opens with the platform’s own cipher', async () => {
    const world = worldOn(profile)
    const guard = createSessionGuard<Reply>({ platform: name, wx: world.wx, ...routes(world) })
    const outcome = await settle(world, guard.getPhoneNumber(world.wechat.consent('b').detail))
    expect(outcome).toMatchObject({ status: 'ok', reply: { tag: 'b' } })
    expect(world.wechat.calls.map((c) => c.api)).toEqual(['checkSession'])
  })
})

describe('which API object', () => {
  it("defaults to 'weixin' and its global wx: another platform's global alone is not enough", () => {
    globals.tt = worldOn(PROFILES.toutiao).wx
    expect(() => createSessionGuard({ url: 'https://example.com/phone' })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
    globals.wx = worldOn(PROFILES.weixin).wx
    expect(() => createSessionGuard({ url: 'https://example.com/phone' })).not.toThrow()
  })

  it("reads only the named platform's global", () => {
    globals.wx = worldOn(PROFILES.weixin).wx
    expect(() => createSessionGuard({ platform: 'kuaishou', url: 'https://example.com/phone' })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
  })

  it('prefers options.wx (Taro, uni, or the native object) over the global', async () => {
    const world = worldOn(PROFILES.toutiao)
    globals.tt = { login: () => undefined, checkSession: () => undefined }
    const guard = createSessionGuard<Reply>({ platform: 'toutiao', wx: world.wx, ...routes(world) })
    world.wechat.expire()
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
  })

  it('on Baidu, never calls the deprecated swan.login when swan.getLoginCode is there', async () => {
    const world = worldOn(PROFILES.baidu)
    let deprecated = 0
    const swan = { ...world.wx, login: (o: Parameters<typeof world.wx.login>[0]) => (deprecated++, world.wx.login(o)) }
    const guard = createSessionGuard<Reply>({ platform: 'baidu', wx: swan, ...routes(world) })
    world.wechat.expire()
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    expect(deprecated).toBe(0)
    expect(world.wechat.logins).toHaveLength(1)
  })
})

describe('platforms the guard refuses', () => {
  const wx = () => worldOn(PROFILES.weixin).wx

  it("refuses 'alipay' with a CONFIG error that says why: no session_key, nothing to guard", () => {
    let thrown: unknown
    try {
      createSessionGuard({ platform: 'alipay' as Platform, wx: wx(), url: 'https://example.com/phone' })
    } catch (error) {
      thrown = error
    }
    expect(isGuardError(thrown, 'CONFIG')).toBe(true)
    expect((thrown as Error).message).toMatch(/alipay.*session_key/)
  })

  it.each([['jd'], [''], [42], [null], [{}]])('refuses platform %p with a CONFIG error', (platform) => {
    expect(() => createSessionGuard({ platform: platform as Platform, wx: wx(), url: 'https://example.com/phone' })).toThrow(
      expect.objectContaining({ code: 'CONFIG' }),
    )
  })
})

describe("reading a platform's results", () => {
  it("Douyin's checkSession errNo 113191 (an internal error) says nothing of the session: flag 1, no login", async () => {
    const world = worldOn(PROFILES.toutiao)
    const guard = createSessionGuard<Reply>({ platform: 'toutiao', wx: world.wx, ...routes(world) })
    world.wechat.failNextChecks = 1
    const outcome = await settle(world, guard.getPhoneNumber(world.wechat.consent('e').detail))
    expect(outcome).toMatchObject({ status: 'ok' })
    expect(world.network.sent.map((r) => r.payload.sessionKeyValidFlag)).toEqual(['1'])
    expect(world.wechat.logins).toHaveLength(0)
  })

  it.each([[113101], [113102]])("Douyin's checkSession errNo %p means no session: one login, its code with flag 0", async (errNo) => {
    const world = worldOn(PROFILES.toutiao)
    const tt = { ...world.wx, checkSession: (o: { fail?: (err: unknown) => void }) => world.clock.setTimeout(() => o.fail?.({ errMsg: 'checkSession:fail', errNo }), 30) }
    const guard = createSessionGuard<Reply>({ platform: 'toutiao', wx: tt, ...routes(world) })
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    expect(world.wechat.logins).toHaveLength(1)
  })

  it('a checkSession success whose errMsg is not `:ok` is no valid session: the guard logs in', async () => {
    const world = worldOn(PROFILES.qq)
    const qq = { ...world.wx, checkSession: (o: { success?: (res: unknown) => void }) => world.clock.setTimeout(() => o.success?.({ errMsg: 'checkSession:fail session expired' }), 30) }
    const guard = createSessionGuard<Reply>({ platform: 'qq', wx: qq, ...routes(world) })
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    expect(world.wechat.logins).toHaveLength(1)
  })
})

describe('phone-number denials, as the platforms word them', () => {
  const guardOn = (name: keyof typeof PROFILES) => {
    const world = worldOn(PROFILES[name])
    return { world, guard: createSessionGuard<Reply>({ platform: name, wx: world.wx, ...routes(world) }) }
  }

  it.each([
    ['toutiao', 'getPhoneNumber:fail auth deny'],
    ['baidu', 'getPhoneNumber:fail auth deny'],
    ['kuaishou', 'getPhoneNumber:fail user deny'],
    ['qq', 'getPhoneNumber:fail cancel'],
  ] as const)('%s: "%s" is the user saying no: denied, nothing sent', async (name, errMsg) => {
    const { world, guard } = guardOn(name)
    expect(await settle(world, guard.getPhoneNumber({ errMsg }))).toEqual({ status: 'denied', errMsg })
    expect(world.network.sent).toEqual([])
  })

  it("Douyin's \"platform auth deny\" is the app lacking the permission, not the user: WX_FAIL", async () => {
    const { world, guard } = guardOn('toutiao')
    expect(await settle(world, guard.getPhoneNumber({ errMsg: 'getPhoneNumber:fail platform auth deny' }))).toMatchObject({ status: 'failed', reason: 'WX_FAIL' })
    expect(world.network.sent).toEqual([])
  })
})

describe("Douyin's newer phone flow (base library 3.51+): e.detail.code", () => {
  it('goes as phoneCode, never as the login code; with no session token a fresh login code goes beside it', async () => {
    const world = worldOn(PROFILES.toutiao, false)
    const guard = createSessionGuard<Reply>({ platform: 'toutiao', wx: world.wx, ...routes(world), session: false })
    const { detail } = consentAs(world.wechat, 'p', 'code-only')
    expect(await settle(world, guard.getPhoneNumber(detail))).toMatchObject({ status: 'ok', reply: { tag: 'p' } })
    const [login] = [...world.wechat.codes.keys()]
    expect(world.network.sent.map((r) => r.payload)).toEqual([{ code: login, sessionKeyValidFlag: '0', phoneCode: detail.code }])
  })
})

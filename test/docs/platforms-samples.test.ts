/**
 * docs/platforms*.md's uni-app showcase, run as written: the same utils/session-guard.ts built for each
 * uni-app target (process.env.UNI_PLATFORM) takes that platform's own API object from its global, logs
 * in with its own call and talks to that platform's companion routes; the Alipay build has no guard.
 * The login page's handler runs against it. Each platform is the simulator's profile of it.
 */
import ts from 'typescript'
import * as sourcePackage from '../../miniprogram_npm_src'
import type { WxLike, WxRequestOptions, WxResponse } from '../../miniprogram_npm_src'
import { PROFILES, type PlatformProfile } from '../../simulator/model/platforms'
import { LATENCIES } from '../../simulator/scenarios/side-by-side'
import { World, runToQuiet, timed } from '../../simulator/world/world'
import { POLICY } from '../support/model-guard'
import { sample } from './doc-pages'

const PAGES = ['docs/platforms.md', 'docs/platforms.en.md']
const TARGETS: [string, PlatformProfile][] = [
  ['mp-weixin', PROFILES.weixin],
  ['mp-qq', PROFILES.qq],
  ['mp-toutiao', PROFILES.toutiao],
  ['mp-baidu', PROFILES.baidu],
  ['mp-kuaishou', PROFILES.kuaishou],
]

const globals = globalThis as Record<string, unknown>
const transpile = (code: string) => ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018 } }).outputText

/** Evaluates the page's two modules as a uni-app build for `target` would: the guard module, then the login page. */
function build(page: string, target: string) {
  const previous = process.env.UNI_PLATFORM
  process.env.UNI_PLATFORM = target
  try {
    const guardModule: Record<string, unknown> = {}
    new Function('require', 'exports', transpile(sample(page, 'platforms/uni-guard')))((name: string) => {
      if (name === 'miniprogram-session-guard') return sourcePackage
      throw new Error(`unexpected require ${name}`)
    }, guardModule)
    const pageModule: Record<string, unknown> = {}
    new Function('require', 'exports', transpile(sample(page, 'platforms/uni-page')))((name: string) => {
      if (name === '../../utils/session-guard') return guardModule
      throw new Error(`unexpected require ${name}`)
    }, pageModule)
    return { guard: guardModule.guard as sourcePackage.SessionGuard | undefined, onGetPhoneNumber: pageModule.onGetPhoneNumber as (e: { detail: unknown }) => Promise<string> }
  } finally {
    if (previous === undefined) delete process.env.UNI_PLATFORM
    else process.env.UNI_PLATFORM = previous
  }
}

/** The platform's API object with wx.request reaching that platform's companion routes on the model's developer server. */
function platformApi(world: World, platform: string, urls: string[]): WxLike {
  type Options = WxRequestOptions & { success?: (res: WxResponse) => void; fail?: (err: unknown) => void }
  const base = `https://api.example.com/${platform}/`
  const reply = (options: Options, answer: Promise<unknown>) => void answer.then((data) => options.success?.({ statusCode: 200, data, header: {} }), options.fail)
  return {
    ...world.wx,
    request: (options: Options) => {
      urls.push(options.url)
      const payload = options.data as Record<string, string>
      if (options.url === base + 'login') return reply(options, world.network.sendLogin(payload.code))
      if (options.url === base + 'open-data') return reply(options, world.network.send(payload))
      world.clock.setTimeout(() => options.success?.({ statusCode: 404, data: 'no such route', header: {} }), 10)
    },
  } as WxLike
}

afterEach(() => {
  for (const profile of Object.values(PROFILES)) delete globals[profile.global]
})

// The samples' guards keep real time (they pass no clock): the last rate-limit window (1.1 s) closes before the suite ends.
afterAll(() => new Promise((resolve) => setTimeout(resolve, 1200)))

describe.each(PAGES.map((page) => [page]))('%s: the uni-app showcase', (page) => {
  it.each(TARGETS)('built for %s: the platform’s own API object, login call and routes', async (target, profile) => {
    const world = new World(POLICY, timed(LATENCIES), true, undefined, profile)
    const urls: string[] = []
    globals[profile.global] = platformApi(world, profile.name, urls)
    const { guard, onGetPhoneNumber } = build(page, target)
    expect(guard).toBeDefined()

    world.wechat.expire()
    const prepared = (guard as sourcePackage.SessionGuard).prepare()
    await runToQuiet(world.clock)
    expect(await prepared).toEqual({ status: 'ok', loggedIn: true })
    expect(world.wechat.logins).toHaveLength(1)

    const tapped = onGetPhoneNumber({ detail: world.wechat.consent('uni').detail })
    await runToQuiet(world.clock)
    expect(await tapped).toBe('logged in')
    expect(urls).toEqual([`https://api.example.com/${profile.name}/login`, `https://api.example.com/${profile.name}/open-data`])
  })

  it('built for mp-alipay: no guard, and the page says so', async () => {
    const { guard, onGetPhoneNumber } = build(page, 'mp-alipay')
    expect(guard).toBeUndefined()
    expect(await onGetPhoneNumber({ detail: { errMsg: 'getPhoneNumber:ok' } })).toBe('this platform logs in another way')
  })
})

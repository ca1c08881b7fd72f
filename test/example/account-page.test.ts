/**
 * @jest-environment jsdom
 *
 * The example's account page, npm-built: app.ts's guard (url/loginUrl, no token code of its own) and
 * guard.request to the companion's protected /me, over HTTP, with WeChat from the model.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import { realWorld, until } from '../component/harness'
import { loopbackFetch } from '../server/loopback-fetch'
import { startSessionCompanion } from '../session/session-companion'

const EXAMPLE = path.join(__dirname, '../../example-miniprogram')
if (!existsSync(path.join(EXAMPLE, 'miniprogram_npm/miniprogram-session-guard/index.js'))) {
  throw new Error('run `npm run example:build` first (npm test does)')
}

type Globals = { wx: unknown; App: (definition: unknown) => void; getApp: () => unknown }
const globals = globalThis as unknown as Globals
type Request = { url: string; method?: string; data?: unknown; header?: Record<string, string>; success?: (r: unknown) => void; fail?: (e: unknown) => void }

const accountPage = simulate.load(path.join(EXAMPLE, 'pages/account/index'), { compiler: 'simulate', rootPath: EXAMPLE })

let stop: () => Promise<void> = async () => undefined
afterEach(() => stop())

async function boot() {
  const world = realWorld(false)
  const companion = await startSessionCompanion(world)
  stop = companion.close
  const storage = new Map<string, unknown>()
  globals.wx = {
    login: world.wx.login,
    checkSession: world.wx.checkSession,
    request(o: Request) {
      const url = o.url.replace('http://127.0.0.1:3000', companion.url)
      loopbackFetch(url, { method: o.method || 'GET', headers: o.header, body: o.data === undefined ? undefined : JSON.stringify(o.data) }).then(
        async (r) => o.success?.({ statusCode: r.status, data: await r.json(), header: {} }),
        (e: Error) => o.fail?.({ errMsg: `request:fail ${e.message}` }),
      )
    },
    getStorageSync: (key: string) => storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
  }
  let app: { sessionGuard: { prepare(): Promise<unknown> }; onShow(): void } | undefined
  globals.App = (definition) => (app = definition as typeof app)
  globals.getApp = () => app
  jest.isolateModules(() => {
    require(path.join(EXAMPLE, 'app')) // eslint-disable-line @typescript-eslint/no-require-imports
  })
  if (!app) throw new Error('app.ts did not call App()')
  const page = simulate.render(accountPage)
  page.attach(document.createElement('parent-wrapper'))
  const logins = () => world.wechat.calls.filter((c) => c.api === 'login').length
  return { app, page, companion, logins, text: () => page.dom?.textContent || '' }
}

describe('the example account page', () => {
  it('shows the user from /me, and after the session token expired logs in once more and shows it again', async () => {
    const { app, page, companion, logins, text } = await boot()
    app.onShow()
    await app.sessionGuard.prepare()
    page.querySelector('.load')?.dispatchEvent('tap')
    await until(() => text().includes('用户 ID：user-of-'))
    expect(logins()).toBe(1)
    companion.expireTokens()
    page.setData({ userId: '' })
    page.querySelector('.load')?.dispatchEvent('tap')
    await until(() => text().includes('用户 ID：user-of-'))
    expect(logins()).toBe(2)
    expect(companion.requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/login 200', '/me 200', '/me 401', '/login 200', '/me 200'])
  })

  it('logs in on its own when the app has no token yet, without a wx.login of its own', async () => {
    const { page, logins, text, companion } = await boot()
    page.querySelector('.load')?.dispatchEvent('tap')
    await until(() => text().includes('用户 ID：user-of-'))
    expect(logins()).toBe(1)
    expect(companion.requests.map((r) => r.path)).toEqual(['/login', '/me'])
  })
})

/**
 * @jest-environment jsdom
 *
 * The example's account page, npm-built: app.ts's guard (url/loginUrl, no token code of its own) and
 * guard.request to the companion's protected /me, over HTTP, with WeChat from the model.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import { EXAMPLE, launchExampleApp } from './launch-app'
import { realWorld, until } from '../component/harness'
import { httpRequest, startSessionCompanion, type Sent } from '../session/session-companion'


if (!existsSync(path.join(EXAMPLE, 'miniprogram_npm/miniprogram-session-guard/index.js'))) {
  throw new Error('run `npm run example:build` first (npm test does)')
}


const accountPage = simulate.load(path.join(EXAMPLE, 'pages/account/index'), { compiler: 'simulate', rootPath: EXAMPLE })

let stop: () => Promise<void> = async () => undefined
afterEach(() => stop())

async function boot(lifetimeSeconds?: number) {
  const world = realWorld(false)
  const companion = await startSessionCompanion(world, lifetimeSeconds)
  stop = companion.close
  const storage = new Map<string, unknown>()
  const sent: Sent[] = []
  const wx = {
    login: world.wx.login,
    checkSession: world.wx.checkSession,
    request: httpRequest(sent, (url) => url.replace('http://127.0.0.1:3000', companion.url)),
    getStorageSync: (key: string) => storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
  }
  const app = launchExampleApp(wx)
  const page = simulate.render(accountPage)
  page.attach(document.createElement('parent-wrapper'))
  const logins = () => world.wechat.calls.filter((c) => c.api === 'login').length
  return { app, page, companion, sent, logins, text: () => page.dom?.textContent || '' }
}

describe('the example account page', () => {
  it('shows the user from /me, and after the session token expired logs in once more and shows it again', async () => {
    const { app, page, companion, sent, logins, text } = await boot(1)
    app.onShow()
    await app.sessionGuard.prepare()
    page.querySelector('.load')?.dispatchEvent('tap')
    await until(() => /用户 ID：[0-9a-f]{12}/.test(text()))
    expect(logins()).toBe(1)
    await companion.expireTokens()
    page.setData({ userId: '' })
    page.querySelector('.load')?.dispatchEvent('tap')
    await until(() => /用户 ID：[0-9a-f]{12}/.test(text()))
    expect(logins()).toBe(2)
    // The token's lifetime (expiresIn) ran out on the phone too: the guard logs in before sending, with no 401 round trip.
    expect(sent.map((r) => `${r.path} ${r.status}`)).toEqual(['/login 200', '/me 200', '/login 200', '/me 200'])
  })

  it('logs in on its own when the app has no token yet, without a wx.login of its own', async () => {
    const { page, logins, text, sent } = await boot()
    page.querySelector('.load')?.dispatchEvent('tap')
    await until(() => /用户 ID：[0-9a-f]{12}/.test(text()))
    expect(logins()).toBe(1)
    expect(sent.map((r) => r.path)).toEqual(['/login', '/me'])
  })
})

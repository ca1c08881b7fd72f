/**
 * @jest-environment jsdom
 *
 * The README's 用法 section, as a new mini program under miniprogram-simulate, over real HTTP to
 * examples/php-server (`php -S`), whose WeChat API is the repo's simulated one answering from the
 * same WeChat model the phone logs in to. The PHP server was written from docs/protocol.md alone.
 */
import { FakeWeChatApi } from '../../simulator/http/fake-wechat-api'
import { APP_ID } from '../../simulator/model/wechat'
import { realWorld, until } from '../component/harness'
import { bootReadmeApp, tapFiveTimes } from '../session/readme-app'
import { describeWithPhp, startPhpServer } from '../support/php'

const SECRET = 'php-readme-wechat-secret'
let cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})

async function boot(lifetimeSeconds = 86400) {
  const world = realWorld(false)
  const wechatApi = new FakeWeChatApi(world.wechat, APP_ID, SECRET)
  const wechatBase = await wechatApi.start()
  cleanups.push(() => wechatApi.stop())
  const env = { WECHAT_API_BASE: wechatBase, WX_APPID: APP_ID, WX_SECRET: SECRET, SESSION_LIFETIME_SECONDS: String(lifetimeSeconds) }
  let php = await startPhpServer(env)
  const { port, storeDir } = php
  cleanups.push(() => php.stop())
  const app = bootReadmeApp(world, php.url)
  /** PHP restarts on the same port and store with a new SESSION_SECRET: every token it issued is refused from now on. */
  const restartWithNewSecret = async () => {
    await php.stop({ keepStore: true })
    php = await startPhpServer({ ...env, SESSION_SECRET: 'a-brand-new-session-secret-0123456789abcdef' }, { port, storeDir })
  }
  return { ...app, wechatApi, restartWithNewSecret }
}

describeWithPhp()('the README 用法 section against the PHP server', () => {
  it('first launch: onShow logs in once, then a burst of 5 taps gives 5 ok and the number, with no other wx.login', async () => {
    const booted = await boot()
    const { app, logins, text, device, sent } = booted
    app.onShow()
    await app.sessionGuard.prepare()
    expect(logins()).toBe(1)
    expect(await tapFiveTimes(booted)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok'])
    await until(() => text().includes('13800138000'), 5000)
    expect(device.toasts).toEqual([])
    expect(logins()).toBe(1)
    expect(sent.map((r) => `${r.path} ${r.status}`)).toEqual(['/login 200', ...Array(5).fill('/open-data 200')])
  }, 30000)

  it('a business request after the token expired re-logs in once and succeeds', async () => {
    const { app, page, logins, text, sent } = await boot(1)
    app.onShow()
    await app.sessionGuard.prepare()
    page.querySelector('.load-user')?.dispatchEvent('tap')
    await until(() => /[0-9a-f]{12}/.test(text()), 5000)
    await new Promise((resolve) => setTimeout(resolve, 2100))
    page.setData({ userId: "" })
    page.querySelector('.load-user')?.dispatchEvent('tap')
    await until(() => /[0-9a-f]{12}/.test(text()), 5000)
    expect(logins()).toBe(2)
    expect(sent.map((r) => `${r.path} ${r.status}`)).toEqual(['/login 200', '/me 200', '/login 200', '/me 200'])
  }, 30000)

  it('a business request the server refuses (it restarted with a new secret) gets one login and one replay, and succeeds', async () => {
    const { app, page, logins, text, sent, restartWithNewSecret } = await boot()
    app.onShow()
    await app.sessionGuard.prepare()
    await restartWithNewSecret()
    page.querySelector('.load-user')?.dispatchEvent('tap')
    await until(() => /[0-9a-f]{12}/.test(text()), 5000)
    expect(logins()).toBe(2)
    expect(sent.map((r) => `${r.path} ${r.status}`)).toEqual(['/login 200', '/me 401', '/login 200', '/me 200'])
  }, 30000)

  it('a tap whose token the server refuses (HTTP 401 on the data route) logs in once and gets the number', async () => {
    const { world, app, page, logins, text, sent, device, restartWithNewSecret } = await boot()
    app.onShow()
    await app.sessionGuard.prepare()
    await restartWithNewSecret()
    const button = page.querySelector('.get-phone')
    button?.dispatchEvent('tap')
    button?.dispatchEvent('getphonenumber', { detail: world.wechat.consent('after-restart').detail })
    await until(() => text().includes('13800138000'), 10000)
    expect(device.toasts).toEqual([])
    expect(logins()).toBe(2)
    // The refused flag-'1' request, then the same data with a fresh login code (flag '0').
    expect(sent.map((r) => `${r.path} ${r.status}`)).toEqual(['/login 200', '/open-data 401', '/open-data 200'])
  }, 30000)
})

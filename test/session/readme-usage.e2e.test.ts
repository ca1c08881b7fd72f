/**
 * @jest-environment jsdom
 *
 * The guide's own-button page (docs/guide.md: guide/page, guide/page.wxml, guide/session,
 * guide/helper) with the README's app.ts (readme/app), copied as written into a new mini program (only
 * the address changes: https://api.example.com becomes the test companion's; the TypeScript is
 * transpiled as the devtools would), run with miniprogram-simulate against the built package, over real
 * HTTP to the companion `npm run example:server` starts (session tokens signed with sessionSecret, a
 * business route /me behind requireSession). WeChat is the model.
 */
import { realWorld, until } from '../component/harness'
import { bootReadmeApp, block, globals, GUIDE, run, tapFiveTimes } from './readme-app'
import { startSessionCompanion } from './session-companion'

let stop: () => Promise<void> = async () => undefined
afterEach(() => stop())

async function boot(lifetimeSeconds?: number) {
  const world = realWorld(false)
  const companion = await startSessionCompanion(world, lifetimeSeconds)
  stop = companion.close
  return { ...bootReadmeApp(world, companion.url), companion }
}

describe('the guide’s own-button page and the README’s app.ts, copied into a new mini program', () => {
  it('first launch: onShow logs in once, then a burst of 5 taps gives 5 ok and the number, with no other wx.login', async () => {
    const booted = await boot()
    const { app, logins, text, device, sent } = booted
    app.onShow()
    await app.sessionGuard.prepare()
    expect(logins()).toBe(1)
    expect(await tapFiveTimes(booted)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok'])
    await until(() => text().includes('13800138000'))
    expect(device.toasts).toEqual([])
    expect(logins()).toBe(1)
    expect(sent.map((r) => r.path)).toEqual(['/login', '/open-data', '/open-data', '/open-data', '/open-data', '/open-data'])
  })

  it('a business request after the token expired re-logs in once and succeeds', async () => {
    const { app, page, logins, text, companion, sent } = await boot(1)
    app.onShow()
    await app.sessionGuard.prepare()
    page.querySelector('.load-user')?.dispatchEvent('tap')
    await until(() => /[0-9a-f]{12}/.test(text()))
    expect(logins()).toBe(1)
    await companion.expireTokens()
    page.setData({ userId: '' })
    page.querySelector('.load-user')?.dispatchEvent('tap')
    await until(() => /[0-9a-f]{12}/.test(text()))
    expect(logins()).toBe(2)
    // The token's lifetime (expiresIn) ran out on the phone too: the guard logs in before sending, with no 401 round trip.
    expect(sent.map((r) => `${r.path} ${r.status}`)).toEqual(['/login 200', '/me 200', '/login 200', '/me 200'])
  })

  it('a business request the server refuses (it restarted with a new secret) gets one login and one replay, and succeeds', async () => {
    const { app, page, logins, text, companion, sent } = await boot()
    app.onShow()
    await app.sessionGuard.prepare()
    await companion.restart()
    page.querySelector('.load-user')?.dispatchEvent('tap')
    await until(() => /[0-9a-f]{12}/.test(text()))
    expect(logins()).toBe(2)
    expect(sent.map((r) => `${r.path} ${r.status}`)).toEqual(['/login 200', '/me 401', '/login 200', '/me 200'])
  })

  it('a business request that cannot reach the server shows the page’s network toast', async () => {
    const { app, page, device, companion } = await boot()
    app.onShow()
    await app.sessionGuard.prepare()
    await companion.close()
    page.querySelector('.load-user')?.dispatchEvent('tap')
    await until(() => device.toasts.length > 0)
    expect(device.toasts).toEqual(['网络不可用'])
  })

  it('the session defaults written out, as the guide shows them, keep the token and re-log in once after a refusal', async () => {
    const { companion, sent, logins } = await boot()
    const guard = run(block(GUIDE, 'guide/session'), companion.url).guard as {
      prepare(): Promise<unknown>
      token(): string | undefined
      request(o: { url: string }): Promise<{ statusCode: number }>
    }
    await guard.prepare()
    expect(guard.token()).toEqual(expect.any(String))
    await companion.restart()
    expect((await guard.request({ url: `${companion.url}/me` })).statusCode).toBe(200)
    expect(logins()).toBe(2)
    expect(sent.map((r) => `${r.path} ${r.status}`)).toEqual(['/login 200', '/me 401', '/login 200', '/me 200'])
  })

  it('the existing-helper recipe: three requests that meet an expired token share one login and each replays once', async () => {
    const { app, logins, companion, sent } = await boot(1)
    app.onShow()
    await app.sessionGuard.prepare()
    await companion.expireTokens()
    const myRequest = run(block(GUIDE, 'guide/helper'), companion.url, { getApp: globals.getApp, wx: globals.wx }).myRequest as (o: { url: string }) => Promise<{ statusCode: number }>
    const results = await Promise.all([1, 2, 3].map(() => myRequest({ url: `${companion.url}/me` })))
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200])
    expect(logins()).toBe(2)
    expect(sent.filter((r) => r.path === '/me').map((r) => r.status)).toEqual([401, 401, 401, 200, 200, 200])
  })
})

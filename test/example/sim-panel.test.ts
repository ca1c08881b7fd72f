/**
 * @jest-environment jsdom
 *
 * The example mini program with its "simulated WeChat" switch on (tourist appid): app.ts gives the guard a
 * wx whose login/checkSession, and the phone consent, come from the companion's /dev-wechat over HTTP.
 * The global wx here has no login or checkSession at all, so every WeChat call must go through the companion.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import { EXAMPLE, launchExampleApp } from './launch-app'
import { startExampleServer } from '../../example-server/companion'
import { loopbackFetch } from '../server/loopback-fetch'
import { realWorld, until } from '../component/harness'
import type { WeChatModel } from '../../simulator/model/wechat'
import { WINDOW_MS } from '../../miniprogram_npm_src/wx-session/wx-session'


const NPM_BUTTON = '/miniprogram_npm/miniprogram-session-guard/phone-number-button/index'
if (!existsSync(path.join(EXAMPLE, 'miniprogram_npm/miniprogram-session-guard/index.js'))) throw new Error('run `npm run example:build` first (npm test does)')

const panel = simulate.load(path.join(EXAMPLE, 'components/sim-panel/index'), { compiler: 'simulate', rootPath: EXAMPLE })
const phonePage = simulate.load(path.join(EXAMPLE, 'pages/phone/index'), {
  compiler: 'simulate',
  rootPath: EXAMPLE,
  usingComponents: { 'phone-number-button': NPM_BUTTON, 'sim-panel': panel },
})

let stop: () => Promise<void> = async () => undefined
afterEach(() => stop())

type Request = { url: string; data?: unknown; header?: Record<string, string>; success?: (r: { statusCode: number; data: unknown }) => void; fail?: (e: { errMsg: string }) => void }

/** Cold start of app.ts: wx.request reaches the running companion; the appid decides the switch. */
async function boot(appId: string, wx: Record<string, unknown> = {}, wechat?: WeChatModel) {
  const companion = await startExampleServer({ wechat, fetch: loopbackFetch as typeof fetch })
  stop = companion.close
  const paths: string[] = []
  const app = launchExampleApp({
    ...wx,
    getAccountInfoSync: () => ({ miniProgram: { appId, envVersion: 'develop', version: '' } }),
    request(options: Request) {
      const url = options.url.replace('http://127.0.0.1:3000', companion.url)
      paths.push(new URL(url).pathname)
      loopbackFetch(url, { method: 'POST', headers: options.header, body: JSON.stringify(options.data) })
        .then(async (r) => options.success?.({ statusCode: r.status, data: await r.json() }))
        .catch((e: Error) => options.fail?.({ errMsg: `request:fail ${e.message}` }))
    },
  })
  const page = simulate.render(phonePage)
  page.attach(document.createElement('parent-wrapper'))
  const text = () => page.dom?.textContent || ''
  const companionCalls = async () => {
    const { calls } = (await (await loopbackFetch(`${companion.url}/dev-wechat`)).json()) as { calls: { login: number; checkSession: number } }
    return { login: calls.login, checkSession: calls.checkSession }
  }
  return { app, page, paths, text, companionCalls, model: companion.wechat as WeChatModel }
}

type Booted = Awaited<ReturnType<typeof boot>>

function shownCalls(page: Booted['page']) {
  const read = (selector: string) => Number(page.querySelector(`.sim-panel >>> ${selector}`)?.dom?.textContent)
  return { login: read('.login-count'), checkSession: read('.check-count') }
}

/** Presses a panel button and returns the line it adds. */
async function press(booted: Booted, selector: string, label: string): Promise<string> {
  const line = () => booted.page.querySelectorAll('.sim-panel >>> .sim-line').map((l) => (l.dom?.textContent || '').trim()).find((t) => t.startsWith(`${label}：`))
  booted.page.querySelector(`.sim-panel >>> ${selector}`)?.dispatchEvent('tap')
  await until(() => line() !== undefined, 8000)
  return line() as string
}

async function bootLoggedIn(): Promise<Booted> {
  const booted = await boot('touristappid')
  booted.app.onShow()
  await booted.app.sessionGuard.prepare()
  return booted
}

describe('the example with the simulated WeChat switch on (tourist appid)', () => {
  it('logs in through the companion on show and shows the number after the simulated consent, counting calls live', async () => {
    const booted = await bootLoggedIn()
    // No session token yet: prepare() logs in at once, without asking checkSession first.
    expect(booted.paths.slice(0, 2)).toEqual(['/dev-wechat/login', '/login'])
    expect(booted.page.querySelector('.login')).toBeFalsy()
    // The login on show proved the session a moment ago: the tap needs no checkSession of its own.
    expect(await press(booted, '.sim-phone', '手机号快捷登录')).toBe('手机号快捷登录：ok · wx.login +0 · checkSession +0')
    await until(() => booted.text().includes('已绑定：138****8000'))
    expect(shownCalls(booted.page)).toEqual(await booted.companionCalls())
    expect(shownCalls(booted.page)).toEqual({ login: 1, checkSession: 0 })
  })

  it('连点 5 次: five taps at once all succeed on the session the login on show just proved: no checkSession, no login', async () => {
    const booted = await bootLoggedIn()
    expect(await press(booted, '.tap5', '连点 5 次')).toBe('连点 5 次：ok ×5 · wx.login +0 · checkSession +0')
    expect(booted.model.limitedCalls).toBe(0)
    expect(shownCalls(booted.page)).toEqual(await booted.companionCalls())
  })

  it('模拟 key 轮换: data sealed with a key the server never saw ends in retry, and the one re-tap shows the number', async () => {
    const booted = await bootLoggedIn()
    expect(await press(booted, '.rotate', '模拟 key 轮换')).toMatch(/^模拟 key 轮换：retry（DECRYPT_FAILED） → 再点一次：ok · wx.login \+1 · checkSession \+\d$/)
    await until(() => booted.text().includes('已绑定：138****8000'))
    expect(shownCalls(booted.page)).toEqual(await booted.companionCalls())
  })

  it('服务端丢失 key: the tap ends in retry with the session already renewed, and the re-tap shows the number', async () => {
    const booted = await bootLoggedIn()
    expect(await press(booted, '.lose-key', '服务端丢失 key')).toMatch(/^服务端丢失 key：retry（[A-Z_]+） → 再点一次：ok · wx.login \+1 · checkSession \+\d$/)
    await until(() => booted.text().includes('已绑定：138****8000'))
    expect(shownCalls(booted.page)).toEqual(await booted.companionCalls())
  })

  it('会话过期: a tap in the expired session logs in once and succeeds at once', async () => {
    const booted = await bootLoggedIn()
    // Past the rate window, the login on show no longer stands in for checkSession.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 100))
    expect(await press(booted, '.expire', '会话过期')).toBe('会话过期：ok · wx.login +1 · checkSession +1')
    expect(shownCalls(booted.page)).toEqual(await booted.companionCalls())
  })
})

describe('the simulated WeChat switch with a real appid', () => {
  it('is off: WeChat’s own wx.login runs, the real button shows, and nothing reaches /dev-wechat', async () => {
    const world = realWorld(false)
    const booted = await boot('wx0123456789abcdef', { login: world.wx.login, checkSession: world.wx.checkSession }, world.wechat)
    booted.app.onShow()
    await booted.app.sessionGuard.prepare()
    expect(booted.page.querySelector('.login')).toBeTruthy()
    expect(booted.page.querySelector('.sim-panel')).toBeFalsy()
    expect(world.wechat.calls.map((c) => c.api)).toEqual(['login'])
    expect(booted.paths).toEqual(['/login'])
  })
})

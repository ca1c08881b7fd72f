/**
 * @jest-environment jsdom
 *
 * The example mini program as the devtools would run it after "构建 npm": app.ts and its pages,
 * with the package loaded from example-miniprogram/miniprogram_npm (made by `npm run example:build`),
 * talking over HTTP to the example companion, which answers from the same WeChat model.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import { EXAMPLE, launchExampleApp } from './launch-app'
import { startExampleServer } from '../../example-server/companion'
import { loopbackFetch } from '../server/loopback-fetch'
import { realWorld, until } from '../component/harness'
import { consentAs } from '../../simulator/model/phone-consent'
import type { WxLike } from '../../miniprogram_npm_src/wire/wx-api'
import { WINDOW_MS } from '../../miniprogram_npm_src/wx-session/wx-session'


const NPM_BUTTON = '/miniprogram_npm/miniprogram-session-guard/phone-number-button/index'

if (!existsSync(path.join(EXAMPLE, 'miniprogram_npm/miniprogram-session-guard/index.js'))) {
  throw new Error('run `npm run example:build` first (npm test does)')
}


// Loaded once: simulate runs page js through require, which jest does not re-run.
const phonePage = simulate.load(path.join(EXAMPLE, 'pages/phone/index'), { compiler: 'simulate', rootPath: EXAMPLE, usingComponents: { 'phone-number-button': NPM_BUTTON } })
const werunPage = simulate.load(path.join(EXAMPLE, 'pages/werun/index'), { compiler: 'simulate', rootPath: EXAMPLE })

let stop: () => Promise<void> = async () => undefined
afterEach(() => stop())

/** Boots app.ts against a fresh world and companion, as a cold start of the mini program does. */
async function boot(loggedIn: boolean) {
  const world = realWorld(loggedIn)
  const companion = await startExampleServer({ wechat: world.wechat, fetch: loopbackFetch as typeof fetch })
  stop = companion.close
  const requests: { url: string; data: unknown }[] = []
  const wx: WxLike & Record<string, unknown> = {
    ...world.wx,
    request(options: { url: string; data?: unknown; header?: Record<string, string>; success?: (r: { statusCode: number; data: unknown }) => void; fail?: (e: unknown) => void }) {
      requests.push({ url: options.url, data: options.data })
      const url = options.url.replace('http://127.0.0.1:3000', companion.url)
      loopbackFetch(url, { method: 'POST', headers: options.header, body: JSON.stringify(options.data) })
        .then((r) => r.json())
        .then((data) => options.success?.({ statusCode: 200, data }), options.fail)
    },
    getWeRunData: () => {
      const { detail } = world.wechat.consent('werun', false, { stepInfoList: [{ timestamp: 1, step: 4321 }] })
      return Promise.resolve({ errMsg: 'getWeRunData:ok', iv: detail.iv, encryptedData: detail.encryptedData })
    },
  }
  const app = launchExampleApp(wx)
  return { world, app, requests }
}

function render(id: string) {
  const page = simulate.render(id)
  page.attach(document.createElement('parent-wrapper'))
  return page
}

describe('the example mini program, npm-built', () => {
  it('first launch: onShow logs in once, then the phone button shows the masked number', async () => {
    const { world, app, requests } = await boot(false)
    app.onShow()
    await app.sessionGuard.prepare()
    const page = render(phonePage)
    const button = page.querySelector('.login >>> .psg-button')
    button?.dispatchEvent('tap')
    button?.dispatchEvent('getphonenumber', { detail: world.wechat.consent('p').detail })
    await until(() => (page.dom?.textContent || '').includes('138****8000'))
    expect(world.wechat.calls.filter((c) => c.api === 'login')).toHaveLength(1)
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(['/login', '/open-data'])
    expect(requests[1].data).toMatchObject({ code: '', sessionKeyValidFlag: '1' })
  })

  it('shows the deny message when the user refuses, without a request', async () => {
    const { requests } = await boot(true)
    const page = render(phonePage)
    page.querySelector('.login >>> .psg-button')?.dispatchEvent('getphonenumber', { detail: { errMsg: 'getPhoneNumber:fail:user deny' } })
    await until(() => (page.dom?.textContent || '').includes('你取消了授权'))
    expect(requests).toHaveLength(0)
  })

  it('shows the retry hint when the server lost the key, and the next tap shows the number', async () => {
    // WeChat's session is valid but the companion (a fresh process) holds no key for the user.
    const { world, requests } = await boot(true)
    const page = render(phonePage)
    const button = page.querySelector('.login >>> .psg-button')
    button?.dispatchEvent('getphonenumber', { detail: world.wechat.consent('lost').detail })
    await until(() => (page.dom?.textContent || '').includes('请再点一次'))
    expect(requests.map((r) => (r.data as { sessionKeyValidFlag: string }).sessionKeyValidFlag)).toEqual(['1', '0'])
    button?.dispatchEvent('getphonenumber', { detail: world.wechat.consent('again').detail })
    await until(() => (page.dom?.textContent || '').includes('138****8000'))
  })

  it('serves a tap in an expired session at once: the companion still opens data sealed with the replaced key', async () => {
    const { world, app, requests } = await boot(false)
    await app.sessionGuard.prepare()
    // Past the rate window, the login prepare() made no longer stands in for checkSession.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 100))
    world.wechat.expire()
    const page = render(phonePage)
    page.querySelector('.login >>> .psg-button')?.dispatchEvent('getphonenumber', { detail: world.wechat.consent('stale').detail })
    await until(() => (page.dom?.textContent || '').includes('138****8000'))
    expect(requests.map((r) => (r.data as { sessionKeyValidFlag?: string }).sessionKeyValidFlag)).toEqual([undefined, '0'])
  })

  it('offers real-time verification too: its phone code reaches the companion with the session token, no checkSession, no login', async () => {
    const { world, app, requests } = await boot(false)
    await app.sessionGuard.prepare()
    const callsBefore = world.wechat.calls.length
    const page = render(phonePage)
    const button = page.querySelector('.realtime >>> .psg-button')
    expect(button).toBeTruthy()
    button?.dispatchEvent('getrealtimephonenumber', { detail: consentAs(world.wechat, 'rt', 'realtime').detail })
    await until(() => (page.dom?.textContent || '').includes('138****8000'))
    expect(world.wechat.calls.slice(callsBefore).map((c) => c.api)).toEqual([])
    expect(requests[requests.length - 1].data).toMatchObject({ code: '', sessionKeyValidFlag: '1', phoneCode: 'phone-rt' })
    expect(requests[requests.length - 1].data).not.toHaveProperty('encryptedData')
  })

  it('reads WeRun data through guard.openData', async () => {
    const { app, requests } = await boot(false)
    await app.sessionGuard.prepare()
    const page = render(werunPage)
    page.querySelector('.sync')?.dispatchEvent('tap')
    await until(() => (page.dom?.textContent || '').includes('4321'))
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(['/login', '/open-data'])
  })
})

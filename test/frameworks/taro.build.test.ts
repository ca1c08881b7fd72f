/**
 * examples/taro (Taro 4, React, TypeScript) built for WeChat by `taro build --type weapp` from the packed
 * package, loaded into the mini runtime and tapped through Taro's own dispatch (every event goes to the
 * page's `eh`, which finds the node by its `data-sid` and hands React the event) against the simulated
 * WeChat and the companion over HTTP.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { sample } from '../docs/doc-pages'
import { buildExample, describeWithFramework, EXAMPLES, type Built } from '../support/frameworks'
import { TaroView } from '../support/mini-views'
import { startDevice, until, type Device } from './device'
import { copiesIn, webpackModule } from './vendor-bytes'
import { WINDOW_MS } from '../../miniprogram_npm_src/wx-session/wx-session'

const jsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? jsFiles(full) : name.endsWith('.js') ? [full] : []
  })

describeWithFramework('taro')('examples/taro built by `taro build --type weapp`', () => {
  let built: Built
  let device: Device | undefined
  beforeAll(() => {
    built = buildExample('taro')
    console.log(`taro build --type weapp: ${built.buildMs} ms`)
  }, 320000)
  afterEach(async () => {
    await device?.close()
    device = undefined
  })

  async function launch(policies?: Parameters<typeof startDevice>[1]) {
    device = await startDevice(built.dist, policies)
    device.runtime.launch()
    await until(() => device?.logins() === 1 && device.sent.length === 1) // onShow: prepare() logs in once
    return device
  }

  const phoneConsent = (d: Device, tag: string) => d.world.wechat.consent(tag, true).detail

  /** Opens a page and waits for React's first render to reach the page's data (Taro's setData). */
  async function open(d: Device, route: string, first: string) {
    const view = new TaroView(d.runtime.openPage(route))
    await until(() => view.has(first))
    return view
  }

  it('type-checks under the example’s own strict tsconfig, the package’s typings from the tarball', () => {
    execFileSync(path.join(EXAMPLES, 'taro', 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: path.join(EXAMPLES, 'taro'), stdio: 'pipe', timeout: 120000 })
  })

  it('puts the package once into vendors.js and says what it adds', () => {
    const vendor = webpackModule(path.join(built.dist, 'vendors.js'))
    console.log(`the package in Taro's vendors.js: ${vendor.bytes} bytes, ${vendor.gzipped} gzipped`)
    expect(copiesIn(jsFiles(built.dist).filter((f) => !f.includes(`${path.sep}chat${path.sep}`)))).toBe(1) // the main package and its subpackages: one copy
    // The shipped file, less what webpack's module wrapper takes off (the CommonJS prologue), give or take.
    const shipped = readFileSync(path.join(__dirname, '../../miniprogram_dist/index.js'), 'utf8').length
    expect(vendor.bytes).toBeLessThan(shipped + 200)
  })

  it('emits the shipped button where the README’s usingComponents path points', () => {
    const readmePath = JSON.parse(sample('README.md', 'readme/page.json')).usingComponents['phone-number-button'] as string
    expect(readFileSync(path.join(EXAMPLES, 'taro/src/pages/button/index.config.ts'), 'utf8')).toContain(`'phone-number-button': '${readmePath}'`)
    const json = JSON.parse(readFileSync(path.join(built.dist, 'pages/button/index.json'), 'utf8'))
    const to = json.usingComponents['phone-number-button'] as string
    for (const ext of ['js', 'json', 'wxml', 'wxss']) expect(existsSync(path.join(built.dist, `${to}.${ext}`.replace(/^\//, '')))).toBe(true)
    expect(readFileSync(path.join(built.dist, 'base.wxml'), 'utf8')).toMatch(/<phone-number-button[^>]*bindresult="eh"/)
  })

  it("flag '1': a tap on Taro's Button sends the payload without logging in again; guard.request shows the user", async () => {
    const d = await launch()
    const page = await open(d, 'pages/index/index', 'get-phone')
    page.dispatch('get-phone', 'tap')
    page.dispatch('get-phone', 'getphonenumber', d.world.wechat.consent('taro-1').detail)
    await until(() => page.text('phone') !== '')
    expect(page.text('phone')).toBe('13800138000')
    page.dispatch('load-user', 'tap')
    await until(() => page.text('user') !== '')
    expect(page.text('user')).toMatch(/^[0-9a-f]{12}$/)
    expect(d.flags).toEqual(['1'])
    expect(d.logins()).toBe(1)
    expect(d.paths()).toEqual(['/login 200', '/open-data 200', '/me 200'])
  })

  it("flag '0': with the session expired, the tap logs in once and sends its code", async () => {
    const d = await launch()
    const page = await open(d, 'pages/index/index', 'get-phone')
    // Past the rate window, the login on show no longer stands in for checkSession (a session does not expire a moment after a login).
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 100))
    d.world.wechat.expire()
    page.dispatch('get-phone', 'tap')
    page.dispatch('get-phone', 'getphonenumber', phoneConsent(d, 'taro-0'))
    await until(() => page.text('phone') !== '' || page.text('hint') !== '')
    expect(page.text('phone')).toBe('13800138000')
    expect(d.flags).toEqual(['0'])
    expect(d.logins()).toBe(2)
  })

  it('the shipped phone-number-button: rendered by Taro’s template, and a tap shows the number', async () => {
    const d = await launch()
    const page = await open(d, 'pages/button/index', 'login')
    const button = page.component('login')
    button.dispatch('psg-button', 'tap')
    button.dispatch('psg-button', 'getphonenumber', d.world.wechat.consent('taro-button').detail)
    await until(() => page.text('phone') !== '' || page.text('hint') !== '')
    expect(page.text('hint')).toBe('')
    expect(page.text('phone')).toBe('13800138000')
    expect(d.flags).toEqual(['1'])
  })

  it('the subpackage shares the main package’s guard: both pages’ requests on an expired token cost one wx.login', async () => {
    const d = await launch()
    const main = await open(d, 'pages/index/index', 'load-user')
    const account = await open(d, 'account/pages/me/index', 'load-user')
    await d.companion.restart() // every token issued so far is refused (401) from now on
    main.dispatch('load-user', 'tap')
    account.dispatch('load-user', 'tap')
    await until(() => main.text('user') !== '' && account.text('user') !== '')
    expect(account.text('user')).toBe(main.text('user'))
    expect(d.logins()).toBe(2) // the launch's, and one re-login for both
    expect(d.paths().filter((p) => p.startsWith('/login'))).toEqual(['/login 200', '/login 200'])
  })

  it('an independent subpackage bundles its own copy of the package, and that copy shares the device’s login: one wx.login for both', async () => {
    expect(copiesIn(jsFiles(path.join(built.dist, 'chat')))).toBe(1) // a second copy, in chat/vendors.js
    const d = await launch()
    const main = await open(d, 'pages/index/index', 'load-user')
    const chat = await open(d, 'chat/pages/index/index', 'load-user')
    await d.companion.restart()
    main.dispatch('load-user', 'tap')
    chat.dispatch('load-user', 'tap')
    await until(() => main.text('user') !== '' && chat.text('user') !== '')
    expect(d.logins()).toBe(2) // the launch's, and one re-login for both copies
    expect(d.world.wechat.maxLoginsInFlight).toBe(1)
  })

  it('launched straight into the independent subpackage (no app.js run, getApp() undefined): its guard logs in once and guard.request works', async () => {
    const d = (device = await startDevice(built.dist))
    const chat = await open(d, 'chat/pages/index/index', 'load-user')
    expect(d.runtime.context.getApp()).toBeUndefined()
    chat.dispatch('load-user', 'tap')
    await until(() => chat.text('user') !== '' || chat.text('hint') !== '')
    expect(chat.text('user')).toMatch(/^[0-9a-f]{12}$/)
    expect(d.logins()).toBe(1)
    expect(d.paths()).toEqual(['/login 200', '/me 200']) // no token yet: one login first
  })
})

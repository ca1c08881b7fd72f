/**
 * examples/uni-app (Vue 3, vite, TypeScript) built for WeChat by its build script (the package's
 * `session-guard-wxcomponents` bin, then `uni build -p mp-weixin`) from the packed package, loaded into the
 * mini runtime and tapped through uni-app's own dispatch (the WXML binds `{{a}}`, a method uni-app put on
 * the page for the Vue handler; uni-app's invoker runs it, a tick late for taps without
 * data-eventsync="true") against the simulated WeChat and the companion over HTTP.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { SessionGuard } from '../../miniprogram_npm_src/config/guard-api'
import { buildExample, describeWithFramework, EXAMPLES, type Built } from '../support/frameworks'
import { WxmlView } from '../support/mini-views'
import { settle, startDevice, until, type Device } from './device'
import { copiesIn, hoistedRun } from './vendor-bytes'
import { WINDOW_MS } from '../../miniprogram_npm_src/wx-session/wx-session'

const jsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? jsFiles(full) : name.endsWith('.js') ? [full] : []
  })

describeWithFramework('uni-app')('examples/uni-app built by `uni build -p mp-weixin`', () => {
  let built: Built
  let device: Device | undefined
  beforeAll(() => {
    built = buildExample('uni-app')
    console.log(`session-guard-wxcomponents + uni build -p mp-weixin: ${built.buildMs} ms`)
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

  const open = (d: Device, route: string) => new WxmlView(d.runtime.openPage(route))
  /** The app's one guard, as its pages import it (the module the build made of src/session-guard.ts). */
  const guardOf = (d: Device) => (d.runtime.require('session-guard.js') as { guard: SessionGuard }).guard

  it('type-checks under the example’s own strict tsconfig, the package’s typings from the tarball', () => {
    execFileSync(path.join(EXAMPLES, 'uni-app', 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: path.join(EXAMPLES, 'uni-app'), stdio: 'pipe', timeout: 120000 })
  })

  it('puts the package once into common/vendor.js and says what it adds', () => {
    const vendor = hoistedRun(path.join(built.dist, 'common/vendor.js'))
    console.log(`the package in uni-app's common/vendor.js: ${vendor.bytes} bytes, ${vendor.gzipped} gzipped`)
    expect(copiesIn(jsFiles(built.dist))).toBe(1)
    const shipped = readFileSync(path.join(__dirname, '../../miniprogram_dist/index.js'), 'utf8').length
    expect(vendor.bytes).toBeLessThan(shipped + 200)
  })

  it('the bin copied the shipped button into wxcomponents/, and the page’s usingComponents finds it', () => {
    const json = JSON.parse(readFileSync(path.join(built.dist, 'pages/button/index.json'), 'utf8'))
    const to = path.join(built.dist, 'pages/button', json.usingComponents['phone-number-button'] as string)
    for (const ext of ['js', 'json', 'wxml', 'wxss']) expect(existsSync(`${to}.${ext}`)).toBe(true)
    expect(readFileSync(`${to}.js`, 'utf8')).toBe(readFileSync(path.join(__dirname, '../../miniprogram_dist/phone-number-button/index.js'), 'utf8'))
  })

  it("flag '1': a tap on uni-app's button sends the payload without logging in again; guard.request shows the user", async () => {
    const d = await launch()
    const page = open(d, 'pages/index/index')
    page.dispatch('get-phone', 'tap')
    page.dispatch('get-phone', 'getphonenumber', d.world.wechat.consent('uni-1').detail)
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
    const page = open(d, 'pages/index/index')
    // Past the rate window, the login on show no longer stands in for checkSession (a session does not expire a moment after a login).
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 100))
    d.world.wechat.expire()
    page.dispatch('get-phone', 'tap')
    page.dispatch('get-phone', 'getphonenumber', d.world.wechat.consent('uni-0', true).detail)
    await until(() => page.text('phone') !== '' || page.text('hint') !== '')
    expect(page.text('phone')).toBe('13800138000')
    expect(d.flags).toEqual(['0'])
    expect(d.logins()).toBe(2)
  })

  describe('hold on press with uni-app’s late @tap', () => {
    it('with data-eventsync="true" the press holds logins before the consent event, and the event lets go', async () => {
      const d = await launch()
      const page = open(d, 'pages/index/index')
      const guard = guardOf(d)
      page.dispatch('get-phone', 'tap') // the user presses: the hold is there at once
      expect(guard.inspect().holds).toBe(1)
      page.dispatch('get-phone', 'getphonenumber', d.world.wechat.consent('uni-hold').detail) // same tick, as fast as it gets
      await until(() => page.text('phone') !== '')
      await settle()
      expect(guard.inspect().holds).toBe(0)
    })

    it('without it, uni-app runs the press a tick late: after the consent event, holding logins back for holdMs', async () => {
      const d = await launch()
      const page = open(d, 'pages/index/index')
      const guard = guardOf(d)
      page.dispatch('get-phone', 'tap', undefined, { eventsync: undefined })
      expect(guard.inspect().holds).toBe(0) // not yet: uni-app deferred the handler with setTimeout
      page.dispatch('get-phone', 'getphonenumber', d.world.wechat.consent('uni-late').detail)
      await until(() => page.text('phone') !== '')
      await settle()
      expect(guard.inspect().holds).toBe(1) // taken after the event that should have let it go
    })
  })

  it('the shipped phone-number-button from wxcomponents/: rendered in the page, and a tap shows the number', async () => {
    const d = await launch()
    const page = open(d, 'pages/button/index')
    expect(page.has('login')).toBe(true)
    const button = page.component('login')
    button.dispatch('psg-button', 'tap')
    button.dispatch('psg-button', 'getphonenumber', d.world.wechat.consent('uni-button').detail)
    await until(() => page.text('phone') !== '' || page.text('hint') !== '')
    expect(page.text('hint')).toBe('') // 获取失败 here is the button's NO_GUARD: it found no guard
    expect(page.text('phone')).toBe('13800138000')
    expect(d.flags).toEqual(['1'])
  })

  it('the subpackage shares the main package’s guard: both pages’ requests on an expired token cost one wx.login', async () => {
    const d = await launch()
    const main = open(d, 'pages/index/index')
    const account = open(d, 'account/pages/me/index')
    await d.companion.restart() // every token issued so far is refused (401) from now on
    main.dispatch('load-user', 'tap')
    account.dispatch('load-user', 'tap')
    await until(() => main.text('user') !== '' && account.text('user') !== '')
    expect(account.text('user')).toBe(main.text('user'))
    expect(d.logins()).toBe(2) // the launch's, and one re-login for both
    expect(d.paths().filter((p) => p.startsWith('/login'))).toEqual(['/login 200', '/login 200'])
  })
})

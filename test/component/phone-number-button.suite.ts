/**
 * The phone-number-button's behaviour, rendered with miniprogram-simulate against the WeChat model,
 * for a given build of the package: miniprogram_dist (test/component/phone-number-button.test.ts) or
 * the package as WeChat's compiler ships it (test/compiled/). Call it from a jsdom test file.
 */
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import type { SessionGuard, SessionGuardOptions } from '../../miniprogram_npm_src'
import { consentAs } from '../../simulator/model/phone-consent'
import { installApp, realWorld, until } from './harness'

/** `packageDir` holds the package's index.js and phone-number-button/ (built or compiled). */
export function phoneNumberButtonSuite(packageDir: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createSessionGuard } = require(packageDir) as { createSessionGuard: (o: SessionGuardOptions) => SessionGuard }
  // Loaded once: simulate runs a component's js through require, which jest does not re-run.
  const button = simulate.load(path.join(packageDir, 'phone-number-button/index'), { compiler: 'simulate' })

  function mount(world = realWorld(), options: Partial<SessionGuardOptions> = {}, attributes = '') {
    const guard = createSessionGuard({ wx: world.wx, send: world.network.send, sendLogin: world.network.sendLogin, ...options })
    installApp({ sessionGuard: guard })
    const results: { status: string; reason?: string; reply?: { tag?: string } }[] = []
    const host = simulate.load({
      template: `<phone-number-button class="login" ${attributes} bind:result="onResult">手机号登录</phone-number-button>`,
      usingComponents: { 'phone-number-button': button },
      methods: {
        onResult(event: { detail: (typeof results)[number] }) {
          results.push(event.detail)
        },
      },
    })
    const page = simulate.render(host)
    page.attach(document.createElement('parent-wrapper'))
    const found = page.querySelector('.login >>> .psg-button')
    if (!found) throw new Error('the button did not render')
    const node = found
    const press = (detail: unknown, event = 'getphonenumber') => {
      node.dispatchEvent('tap')
      node.dispatchEvent(event, { detail })
    }
    return { world, guard, results, page, node, press }
  }

  type RenderedNode = { tagName: string; attrs: { name: string; value: unknown }[]; children: (RenderedNode | string)[] }

  /** The open-type the inner <button> renders with. */
  function openType(page: { toJSON(): unknown }): unknown {
    const find = (node: RenderedNode): RenderedNode | undefined =>
      node.tagName === 'wx-button' ? node : node.children.map((c) => (typeof c === 'string' ? undefined : find(c))).find(Boolean)
    return find(page.toJSON() as RenderedNode)?.attrs.find((a) => a.name === 'open-type')?.value
  }

  describe('phone-number-button', () => {
    it('renders a button around its slot content', () => {
      const { node } = mount()
      expect(node.dom?.tagName).toBe('WX-BUTTON')
      expect(node.dom?.textContent).toContain('手机号登录')
    })

    it("reports ok after one checkSession and a flag-'1' payload, showing loading while pending", async () => {
      const { world, results, press, page } = mount()
      const { detail } = world.wechat.consent('a')
      press(detail)
      await simulate.sleep(0)
      expect(page.querySelector('.login')?.instance.data.pending).toBe(true)
      await until(() => results.length === 1)
      expect(results[0]).toMatchObject({ status: 'ok', reply: { tag: 'a' } })
      expect(world.network.sent.map((r) => r.payload)).toEqual([{ code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData }])
      expect(world.wechat.calls.map((c) => c.api)).toEqual(['checkSession'])
      expect(page.querySelector('.login')?.instance.data.pending).toBe(false)
    })

    it.each([['getPhoneNumber:fail user deny'], ['getPhoneNumber:fail:user deny']])('reports denied for %s without a request', async (errMsg) => {
      const { world, results, press } = mount()
      press({ errMsg })
      await until(() => results.length === 1)
      expect(results[0]).toEqual({ status: 'denied', errMsg })
      expect(world.network.sent).toHaveLength(0)
      expect(world.wechat.calls).toHaveLength(0)
    })

    it('reports NO_QUOTA for errno 1400001', async () => {
      const { results, press } = mount()
      press({ errMsg: 'getPhoneNumber:fail no quota', errno: 1400001 })
      await until(() => results.length === 1)
      expect(results[0]).toMatchObject({ status: 'failed', reason: 'NO_QUOTA' })
    })

    it('passes a new-style phone code alongside the data, never as the login code', async () => {
      const { world, results, press } = mount()
      world.wechat.expire()
      press(world.wechat.consent('b', true).detail)
      await until(() => results.length === 1)
      expect(world.network.sent[0].payload).toMatchObject({ phoneCode: 'phone-b', sessionKeyValidFlag: '0', code: expect.stringMatching(/^code-/) })
    })

    it('serves a double and a triple tap: every event answered, checkSession shared, no login', async () => {
      const { world, results, press } = mount()
      const consents = [1, 2, 3].map((i) => world.wechat.consent(`t${i}`).detail)
      consents.forEach((detail) => press(detail))
      await until(() => results.length === 3)
      expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok'])
      expect(world.wechat.calls.filter((c) => c.api === 'login')).toHaveLength(0)
      expect(world.wechat.calls.filter((c) => c.api === 'checkSession')).toHaveLength(1)
      expect(world.network.sent.every((r) => r.payload.sessionKeyValidFlag === '1')).toBe(true)
    })

    it('holds logins back from the press until the getphonenumber event', async () => {
      const { world, guard, results, node } = mount()
      guard.invalidate()
      node.dispatchEvent('tap')
      await simulate.sleep(0) // simulate dispatches on a later tick: the press is handled, the consent dialog open
      const prepared = guard.prepare()
      await simulate.sleep(50)
      expect(world.wechat.logins).toHaveLength(0)
      node.dispatchEvent('getphonenumber', { detail: world.wechat.consent('c').detail })
      await until(() => results.length === 1)
      await prepared
      expect(results[0]).toMatchObject({ status: 'ok', reply: { tag: 'c' } })
      expect(world.wechat.logins).toHaveLength(1)
      expect(world.wechat.logins[0].at).toBeGreaterThanOrEqual(world.server.handled[0].at)
    })

    it('lets go of the hold when the button goes away', async () => {
      const { world, guard } = mount()
      const alone = simulate.render(button)
      alone.attach(document.createElement('parent-wrapper'))
      guard.invalidate()
      alone.querySelector('.psg-button')?.dispatchEvent('tap')
      await simulate.sleep(0)
      expect(guard.inspect().holds).toBe(1)
      alone.detach()
      await simulate.sleep(0)
      expect(guard.inspect().holds).toBe(0)
      expect(await guard.prepare()).toEqual({ status: 'ok', loggedIn: true })
      expect(world.wechat.logins).toHaveLength(1)
    })

    it('reports NO_GUARD when the app has no guard', async () => {
      const { results, press } = mount()
      installApp({})
      press({ errMsg: 'getPhoneNumber:ok', iv: 'aaaa', encryptedData: 'aaaa' })
      await until(() => results.length === 1)
      expect(results[0]).toEqual({ status: 'failed', reason: 'NO_GUARD' })
    })

    it('finds the device\'s first guard when getApp() has none: Taro before mount, an independent subpackage', async () => {
      const world = realWorld()
      const global = globalThis as unknown as { wx?: unknown; getApp?: unknown }
      const saved = { wx: global.wx, getApp: global.getApp }
      global.wx = world.wx
      try {
        // Created on the platform's global wx, as an app that passes no wx does; getApp() knows nothing of it.
        const { results, press } = mount(world, { wx: undefined })
        global.getApp = () => undefined
        const { detail } = world.wechat.consent('no-app')
        press(detail)
        await until(() => results.length === 1)
        expect(results[0]).toMatchObject({ status: 'ok', reply: { tag: 'no-app' } })
      } finally {
        global.wx = saved.wx
        global.getApp = saved.getApp
      }
    })

    it('renders open-type="getPhoneNumber", and "getRealtimePhoneNumber" with realtime', () => {
      expect(openType(mount().page)).toBe('getPhoneNumber')
      expect(openType(mount(realWorld(), {}, 'realtime').page)).toBe('getRealtimePhoneNumber')
    })

    it('reports a real-time event through bind:result, taking no hold on the press, with no wx call when the app holds its token', async () => {
      const { world, guard, results, node } = mount(realWorld(), {}, 'realtime')
      node.dispatchEvent('tap')
      expect(guard.inspect().holds).toBe(0)
      node.dispatchEvent('getrealtimephonenumber', { detail: consentAs(world.wechat, 'rt', 'realtime').detail })
      await until(() => results.length === 1)
      expect(results[0]).toMatchObject({ status: 'ok', reply: { tag: 'rt' } })
      const [payload] = world.network.sent.map((r) => r.payload)
      expect(payload).toEqual({ code: '', sessionKeyValidFlag: '1', phoneCode: 'phone-rt' })
      expect(world.wechat.calls).toEqual([])
    })

    it('serves a code-only getphonenumber event the same way', async () => {
      const { world, results, press } = mount()
      press(consentAs(world.wechat, 'co', 'code-only').detail)
      await until(() => results.length === 1)
      expect(results[0]).toMatchObject({ status: 'ok', reply: { tag: 'co' } })
      expect(world.wechat.calls.filter((c) => c.api === 'checkSession')).toHaveLength(0)
    })

    it.each([
      ['getphonenumber', ''],
      ['getrealtimephonenumber', 'realtime'],
    ])('reports the privacy outcomes on %s: errno 104 denied, errno 112 PRIVACY_NOT_DECLARED, nothing sent', async (event, attributes) => {
      const { world, results, press } = mount(realWorld(), {}, attributes)
      const shape = attributes ? 'realtime' : 'full'
      world.wechat.privacy = 'declined'
      press(consentAs(world.wechat, 'p1', shape).detail, event)
      world.wechat.privacy = 'undeclared'
      press(consentAs(world.wechat, 'p2', shape).detail, event)
      await until(() => results.length === 2)
      expect(results).toEqual([
        { status: 'denied', errMsg: expect.stringMatching(/:fail privacy permission is not authorized$/), errno: 104 },
        { status: 'failed', reason: 'PRIVACY_NOT_DECLARED', errno: 112, error: expect.anything() },
      ])
      expect(world.network.sent).toHaveLength(0)
      expect(world.wechat.calls).toHaveLength(0)
    })
  })
}

/**
 * The README's app.ts and the guide's own-button page as a new mini program: their blocks run as written
 * (TypeScript transpiled as the devtools would; `require('miniprogram-session-guard')` loads the build;
 * https://api.example.com becomes the backend under test), on a phone whose wx.login/checkSession are the
 * WeChat model's and whose wx.request is real HTTP.
 */
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import ts from 'typescript'
import { until, type realWorld } from '../component/harness'
import { sample } from '../docs/doc-pages'
import { httpRequest, type Sent } from './session-companion'

export const PACKAGE = path.join(__dirname, '../../miniprogram_dist')
export const GUIDE = 'docs/guide.md'

/** A docs block as JavaScript: TypeScript transpiled to CommonJS, as WeChat's compiler would. */
export function block(page: string, name: string): string {
  const code = sample(page, name)
  return name.endsWith('.wxml') ? code : ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018 } }).outputText
}

export type App = { sessionGuard: { prepare(): Promise<unknown>; getPhoneNumber(d: unknown): Promise<{ status: string }> }; onShow(): void }
type Globals = { wx: unknown; App: (d: unknown) => void; Component: (d: unknown) => void; getApp: () => unknown }
export const globals = globalThis as unknown as Globals

/** A new phone: the model's wx.login/checkSession, real HTTP for wx.request, empty storage. */
function phone(world: ReturnType<typeof realWorld>, sent: Sent[]) {
  const storage = new Map<string, unknown>()
  const toasts: string[] = []
  return {
    toasts,
    wx: {
      login: world.wx.login,
      checkSession: world.wx.checkSession,
      request: httpRequest(sent),
      getStorageSync: (key: string) => storage.get(key) ?? '',
      setStorageSync: (key: string, value: unknown) => void storage.set(key, JSON.parse(JSON.stringify(value))),
      removeStorageSync: (key: string) => void storage.delete(key),
      showToast: ({ title }: { title: string }) => void toasts.push(title),
    },
  }
}

/** Runs a block as the mini program would: `require('miniprogram-session-guard')` loads the build. */
export function run(code: string, backendUrl: string, extraGlobals: Record<string, unknown> = {}): Record<string, unknown> {
  const moduleExports: Record<string, unknown> = {}
  const load = (id: string) => (id === 'miniprogram-session-guard' ? require(PACKAGE) : require(id)) // eslint-disable-line @typescript-eslint/no-require-imports
  new Function('require', 'exports', ...Object.keys(extraGlobals), code.split('https://api.example.com').join(backendUrl))(load, moduleExports, ...Object.values(extraGlobals))
  return moduleExports
}

/** The app and its page (rendered with miniprogram-simulate), talking to the backend at `backendUrl`. */
export function bootReadmeApp(world: ReturnType<typeof realWorld>, backendUrl: string) {
  const sent: Sent[] = []
  const device = phone(world, sent)
  globals.wx = device.wx
  let app: App | undefined
  let page: Record<string, unknown> | undefined
  globals.App = (definition) => (app = definition as App)
  globals.Component = (definition) => (page = definition as Record<string, unknown>)
  globals.getApp = () => app
  run(block('README.md', 'readme/app'), backendUrl)
  run(block(GUIDE, 'guide/page'), backendUrl)
  if (!app || !page) throw new Error('the docs blocks did not call App() and Component()')
  const rendered = simulate.render(simulate.load({ ...page, template: block(GUIDE, 'guide/page.wxml') }))
  rendered.attach(document.createElement('parent-wrapper'))
  const logins = () => world.wechat.calls.filter((c) => c.api === 'login').length
  return { world, sent, device, app, page: rendered, logins, text: () => rendered.dom?.textContent || '' }
}

/** Five quick taps on the page's phone button, each with the user's consent: the outcomes' statuses, once all settled. */
export async function tapFiveTimes({ app, page, world }: ReturnType<typeof bootReadmeApp>): Promise<string[]> {
  const outcomes: Promise<{ status: string }>[] = []
  const guard = app.sessionGuard
  const getPhoneNumber = guard.getPhoneNumber.bind(guard)
  guard.getPhoneNumber = (detail) => {
    const outcome = getPhoneNumber(detail)
    outcomes.push(outcome)
    return outcome
  }
  const button = page.querySelector('.get-phone')
  for (let i = 0; i < 5; i++) {
    button?.dispatchEvent('tap')
    button?.dispatchEvent('getphonenumber', { detail: world.wechat.consent(`tap-${i}`).detail })
  }
  await until(() => outcomes.length === 5, 10000)
  return (await Promise.all(outcomes)).map((o) => o.status)
}

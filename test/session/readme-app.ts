/**
 * The README's 用法 section as a new mini program: its blocks run as written (the package import
 * becomes a require of the build, https://api.example.com becomes the backend under test), on a phone
 * whose wx.login/checkSession are the WeChat model's and whose wx.request is real HTTP.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import type { realWorld } from '../component/harness'
import { httpRequest, type Sent } from './session-companion'

const README = readFileSync(path.join(__dirname, '../../README.md'), 'utf8')
export const PACKAGE = path.join(__dirname, '../../miniprogram_dist')

export function block(name: string, lang: string): string {
  const match = new RegExp(`<!-- ${name} -->\\n\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(README)
  if (!match) throw new Error(`README lost its ${name} block`)
  return match[1]
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

/** Runs a README block as the mini program would: the package import becomes a require of the build. */
export function run(code: string, backendUrl: string): void {
  const source = code
    .replace(/import \{ (\w+) \} from 'miniprogram-session-guard'/, 'const { $1 } = require(PACKAGE)')
    .split('https://api.example.com')
    .join(backendUrl)
  new Function('require', 'PACKAGE', source)(require, PACKAGE)
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
  run(block('usage-app', 'js'), backendUrl)
  run(block('usage-page', 'js'), backendUrl)
  if (!app || !page) throw new Error('the README blocks did not call App() and Component()')
  const rendered = simulate.render(simulate.load({ ...page, template: block('usage-wxml', 'html') }))
  rendered.attach(document.createElement('parent-wrapper'))
  const logins = () => world.wechat.calls.filter((c) => c.api === 'login').length
  return { world, sent, device, app, page: rendered, logins, text: () => rendered.dom?.textContent || '' }
}

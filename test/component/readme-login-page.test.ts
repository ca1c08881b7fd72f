/**
 * @jest-environment jsdom
 *
 * The login page of docs/phone-number.md ("一个登录页"), run as written: its WXML and TypeScript
 * (transpiled as the devtools would) are cut from the page, rendered with miniprogram-simulate around
 * the built phone-number-button, against the WeChat model and the example companion over HTTP.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import ts from 'typescript'
import { sample } from '../docs/doc-pages'
import { startExampleServer } from '../../example-server/companion'
import type { SessionGuard, SessionGuardOptions } from '../../miniprogram_npm_src'
import { consentAs } from '../../simulator/model/phone-consent'
import { loopbackFetch } from '../server/loopback-fetch'
import { installApp, realWorld, until } from './harness'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSessionGuard } = require('../../miniprogram_dist') as { createSessionGuard: (o: SessionGuardOptions) => SessionGuard }

const ROOT = path.join(__dirname, '../..')
const BUTTON = path.join(ROOT, 'miniprogram_dist/phone-number-button/index')

/** The block marked `<!-- sample: name -->` in docs/phone-number.md; TypeScript comes out as the devtools compile it. */
function readmeBlock(name: string): string {
  const code = sample('docs/phone-number.md', name)
  return name.endsWith('.ts') ? ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018 } }).outputText : code
}

const dir = mkdtempSync(path.join(tmpdir(), 'readme-pages-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Writes a page of the README's blocks to disk, as the devtools would read it, and loads it. */
function loadPage(name: string, wxml: string): string {
  const folder = path.join(dir, name)
  mkdirSync(folder)
  writeFileSync(path.join(folder, 'index.wxml'), wxml)
  writeFileSync(path.join(folder, 'index.js'), readmeBlock('login-page.ts'))
  writeFileSync(path.join(folder, 'index.json'), JSON.stringify({ component: true, usingComponents: { 'phone-number-button': 'miniprogram-session-guard/phone-number-button' } }))
  return simulate.load(path.join(folder, 'index'), { compiler: 'simulate', usingComponents: { 'phone-number-button': button } })
}

// Loaded once: simulate runs component and page js through require, which jest does not re-run.
const button = simulate.load(BUTTON, { compiler: 'simulate' })
const loginWxml = readmeBlock('login-page.wxml')
const loginPage = loadPage('login', loginWxml)
// "实时验证只要换属性，页面逻辑不变": the same page with the README's real-time button in place of the button.
const realtimePage = loadPage('realtime', loginWxml.replace(/^<phone-number-button[^\n]*\n/, readmeBlock('realtime.wxml')))

let stop: () => Promise<void> = async () => undefined
afterEach(() => stop())

type PrivacyListener = (resolve: (answer: object) => void) => void

/** An app whose guard talks to the example companion (token kept as the example app keeps it), logged in once. */
async function boot() {
  const world = realWorld(false)
  const companion = await startExampleServer({ wechat: world.wechat, fetch: loopbackFetch as typeof fetch })
  stop = companion.close
  let token = ''
  const post = async (route: string, body: unknown) => {
    const response = await loopbackFetch(companion.url + route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    })
    const reply = (await response.json()) as { token?: string }
    if (typeof reply.token === 'string') token = reply.token
    return reply
  }
  const guard = createSessionGuard({ wx: world.wx, send: (payload) => post('/open-data', payload), sendLogin: (code) => post('/login', { code }) })
  installApp({ sessionGuard: guard })
  expect(await guard.prepare()).toEqual({ status: 'ok', loggedIn: true })
  const privacy: { listener?: PrivacyListener; answers: object[] } = { answers: [] }
  ;(globalThis as unknown as { wx: unknown }).wx = { onNeedPrivacyAuthorization: (listener: PrivacyListener) => (privacy.listener = listener) }
  return { world, privacy }
}

function render(id: string) {
  const page = simulate.render(id)
  page.attach(document.createElement('parent-wrapper'))
  const button = page.querySelector('.login >>> .psg-button')
  if (!button) throw new Error('the phone-number button did not render')
  const text = (selector: string) => page.querySelector(selector)?.dom?.textContent || ''
  return { page, button, text, showsPrivacy: () => !!page.querySelector('.privacy') }
}

/** The base library's privacy prompt: the button's event waits until the page answers. */
function askPrivacy(privacy: { listener?: PrivacyListener; answers: object[] }): void {
  if (!privacy.listener) throw new Error('the page registered no wx.onNeedPrivacyAuthorization listener')
  privacy.listener((answer) => privacy.answers.push(answer))
}

describe('the README login page', () => {
  it('asks for the privacy agreement, answers agree with the agree button’s id, then shows the number', async () => {
    const { world, privacy } = await boot()
    const { page, button, text, showsPrivacy } = render(loginPage)
    button.dispatchEvent('tap')
    askPrivacy(privacy)
    await simulate.sleep(0)
    expect(showsPrivacy()).toBe(true)
    page.querySelector('#agree-btn')?.dispatchEvent('agreeprivacyauthorization')
    await simulate.sleep(0)
    expect(privacy.answers).toEqual([{ buttonId: 'agree-btn', event: 'agree' }])
    expect(showsPrivacy()).toBe(false)
    button.dispatchEvent('getphonenumber', { detail: consentAs(world.wechat, 'a', 'full').detail })
    await until(() => text('.phone') !== '')
    expect(text('.phone')).toBe('13800138000')
    expect(text('.hint')).toBe('')
  })

  it('answers disagree, and on errno 104 explains and offers the agree button again', async () => {
    const { world, privacy } = await boot()
    const { page, button, text, showsPrivacy } = render(loginPage)
    button.dispatchEvent('tap')
    askPrivacy(privacy)
    await simulate.sleep(0)
    page.querySelector('#disagree-btn')?.dispatchEvent('tap')
    await simulate.sleep(0)
    expect(privacy.answers).toEqual([{ event: 'disagree' }])
    world.wechat.privacy = 'declined'
    button.dispatchEvent('getphonenumber', { detail: consentAs(world.wechat, 'b', 'full').detail })
    await until(() => text('.hint') !== '')
    expect(text('.hint')).toBe('同意隐私保护指引后再点一次')
    expect(showsPrivacy()).toBe(true)
  })

  it('tells the user the phone login is unavailable when the app never declared the scope (errno 112)', async () => {
    const { world } = await boot()
    const { button, text } = render(loginPage)
    world.wechat.privacy = 'undeclared'
    button.dispatchEvent('tap')
    button.dispatchEvent('getphonenumber', { detail: consentAs(world.wechat, 'c', 'full').detail })
    await until(() => text('.hint') !== '')
    expect(text('.hint')).toBe('暂不能用手机号登录')
  })

  it('shows the number from a real-time verification: a phone code the companion redeems, no key involved', async () => {
    const { world } = await boot()
    const { button, text } = render(realtimePage)
    const calls = world.wechat.calls.length
    button.dispatchEvent('tap')
    button.dispatchEvent('getrealtimephonenumber', { detail: consentAs(world.wechat, 'e', 'realtime').detail })
    await until(() => text('.phone') !== '')
    expect(text('.phone')).toBe('13800138000')
    expect(world.wechat.calls.length).toBe(calls)
  })

  it('serves real-time verification with the same page logic', async () => {
    const { world } = await boot()
    const { button, text } = render(realtimePage)
    world.wechat.privacy = 'declined'
    button.dispatchEvent('tap')
    button.dispatchEvent('getrealtimephonenumber', { detail: consentAs(world.wechat, 'd', 'realtime').detail })
    await until(() => text('.hint') !== '')
    expect(text('.hint')).toBe('同意隐私保护指引后再点一次')
  })
})

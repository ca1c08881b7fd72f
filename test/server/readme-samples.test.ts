/**
 * The companion page's server samples (docs/companion.md and docs/companion.en.md), run as written:
 * each TypeScript block that imports the companion and listens or exports a cloud function is
 * transpiled as tsc would and executed with WeChat's host routed to the fake WeChat API, then driven over HTTP.
 */
import { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import ts from 'typescript'
import { blocksOf } from '../docs/doc-pages'
import { systemClock } from '../../miniprogram_npm_src/primitives/clock'
import { FakeWeChatApi } from '../../simulator/http/fake-wechat-api'
import { APP_ID, WeChatModel } from '../../simulator/model/wechat'

const PAGES = ['docs/companion.md', 'docs/companion.en.md']
const samples = PAGES.flatMap((page) => blocksOf(page).filter((b) => b.lang === 'ts' && b.code.includes("from 'miniprogram-session-guard/server'")).map((b) => ({ ...b, js: toJs(b.code) })))
const httpSamples = samples.filter((b) => b.code.includes('.listen('))
const cloudSamples = samples.filter((b) => b.code.includes('createCloudFunction'))

function toJs(code: string): string {
  return ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018, esModuleInterop: true } }).outputText
}

const SECRET = 'app-secret'
const realFetch = globalThis.fetch
let wechat: WeChatModel
let fake: FakeWeChatApi
let servers: Server[]

beforeEach(async () => {
  wechat = new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, systemClock, (_l, fn) => fn(), false)
  fake = new FakeWeChatApi(wechat, APP_ID, SECRET)
  const base = await fake.start()
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => realFetch(String(input).replace('https://api.weixin.qq.com', base), init)) as typeof fetch
  Object.assign(process.env, { WX_APPID: APP_ID, WX_SECRET: SECRET, SESSION_SECRET: 'a-session-secret-of-at-least-32-chars', PORT: '0' })
  servers = []
  const listen = Server.prototype.listen
  jest.spyOn(Server.prototype, 'listen').mockImplementation(function (this: Server, ...args: unknown[]) {
    servers.push(this)
    return listen.apply(this, args as Parameters<Server['listen']>)
  })
})
afterEach(async () => {
  jest.restoreAllMocks()
  globalThis.fetch = realFetch
  for (const server of servers) {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  }
  await fake.stop()
})

/** Runs a sample as a CommonJS module would, with this test's require (which maps the package name). */
function run(code: string, modules: Record<string, unknown> = {}): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (id: string) => (id in modules ? modules[id] : require(id))
  new Function('require', 'module', 'exports', code)(load, module, module.exports)
  return module.exports
}

const code = () => new Promise<string>((resolve) => wechat.wx.login({ success: (r) => resolve(r.code as string) }))

it('has the node:http, Express, Koa and cloud-function samples on each page', () => {
  expect(httpSamples).toHaveLength(3 * PAGES.length)
  expect(cloudSamples).toHaveLength(PAGES.length)
})

it.each(httpSamples.map((b) => [`${b.page}:${b.line} ${b.name}`, b.js]))('%s: logs in, serves flag 1 with the token, guards /me', async (_where, sample) => {
  run(sample)
  await new Promise((r) => setTimeout(r, 50))
  expect(servers).toHaveLength(1)
  const base = `http://127.0.0.1:${(servers[0].address() as AddressInfo).port}`
  const prefix = sample.includes("app.use('/wx'") ? '/wx' : ''
  const post = (p: string, body: unknown, token?: string) =>
    realFetch(base + prefix + p, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }).then(
      (r) => r.json() as Promise<Record<string, unknown>>,
    )
  const login = await post('/login', { code: await code() })
  expect(login).toEqual({ ok: true, token: expect.any(String), expiresIn: 86400 })
  const { detail } = wechat.consent('readme')
  expect(await post('/open-data', { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData }, login.token as string)).toMatchObject({
    ok: true,
    data: { phoneNumber: '13800138000' },
  })
  const me = await realFetch(base + '/me', { headers: { authorization: `Bearer ${login.token}` } })
  expect({ status: me.status, body: await me.json() }).toEqual({ status: 200, body: expect.objectContaining({ ok: true }) })
  expect((await realFetch(base + '/me')).status).toBe(401)
})

it.each(cloudSamples.map((b) => [`${b.page}:${b.line}`, b.js]))('%s cloud function: the openid comes from cloud.getWXContext(), never from the event', async (_where, cloudSample) => {
  // wx-server-sdk as the platform gives it: init, and the caller's identity in the context.
  const cloud = { DYNAMIC_CURRENT_ENV: 'env', init: jest.fn(), getWXContext: () => ({ OPENID: 'openid-of-the-user' }) }
  const { main } = run(cloudSample, { 'wx-server-sdk': cloud }) as { main: (event: object) => Promise<Record<string, unknown>> }
  expect(cloud.init).toHaveBeenCalled()
  expect(await main({ action: 'login', code: await code() })).toEqual({ ok: true })
  const { detail } = wechat.consent('cloud')
  const payload = { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData }
  expect(await main({ action: 'openData', payload, userInfo: { openId: 'forged' } })).toMatchObject({ ok: true, data: { tag: 'cloud' } })
})

/**
 * The built companion mounted in real frameworks, behind their own body parsers, against the fake
 * WeChat API: Express 5 with express.json(), Koa 3 with koa-bodyparser.
 */
import express from 'express'
import Koa from 'koa'
import bodyParser from 'koa-bodyparser'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { systemClock } from '../../miniprogram_npm_src/primitives/clock'
import { FakeWeChatApi } from '../../simulator/http/fake-wechat-api'
import { APP_ID, WeChatModel } from '../../simulator/model/wechat'

// The package as users get it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const companion = require('../../server_dist') as typeof import('../../server')

const SECRET = 'app-secret'
const SESSION_SECRET = 'a-session-secret-of-at-least-32-chars'

async function world() {
  const wechat = new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, systemClock, (_l, fn) => fn(), false)
  const fake = new FakeWeChatApi(wechat, APP_ID, SECRET)
  const baseUrl = await fake.start()
  const handler = companion.createOpenDataHandler({ appId: APP_ID, api: companion.createWeChatApi({ appId: APP_ID, appSecret: SECRET, baseUrl }) })
  const http = companion.createHttpHandler(handler, { sessionSecret: SESSION_SECRET })
  const session = companion.requireSession({ sessionSecret: SESSION_SECRET })
  const code = () => new Promise<string>((resolve) => wechat.wx.login({ success: (r) => resolve(r.code as string) }))
  return { wechat, fake, http, session, code }
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void

async function serve(listener: Listener): Promise<{ base: string; server: Server }> {
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

type Running = { w: Awaited<ReturnType<typeof world>>; base: string; prefix: string; server: Server }

function frameworkSuite(name: string, mount: (w: Running['w']) => { listener: Listener; prefix: string }) {
  describe(name, () => {
    let run: Running
    beforeEach(async () => {
      const w = await world()
      const { listener, prefix } = mount(w)
      const { base, server } = await serve(listener)
      run = { w, base, prefix, server }
    })
    afterEach(async () => {
      run.server.closeAllConnections()
      await new Promise((r) => run.server.close(r))
      await run.w.fake.stop()
    })

    const post = (path: string, body: unknown, token?: string) =>
      fetch(run.base + run.prefix + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))

    it('logs in, then serves flag 1 with the token it issued, behind the framework body parser', async () => {
      const login = await post('/login', { code: await run.w.code() })
      expect(login).toEqual({ status: 200, body: { ok: true, token: expect.any(String), expiresIn: 86400 } })
      const { detail } = run.w.wechat.consent('a')
      const open = await post('/open-data', { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData }, login.body.token as string)
      expect(open).toEqual({ status: 200, body: { ok: true, data: expect.objectContaining({ phoneNumber: '13800138000', tag: 'a' }), source: 'decrypt' } })
    })

    it("hands every other route to the app (next()), and the app's protected route sees the openid", async () => {
      const login = await post('/login', { code: await run.w.code() })
      const me = await fetch(run.base + '/me', { headers: { authorization: `Bearer ${login.body.token}` } })
      expect({ status: me.status, body: await me.json() }).toEqual({ status: 200, body: { ok: true, openid: 'openid-of-the-user' } })
      const anonymous = await fetch(run.base + '/me')
      expect({ status: anonymous.status, body: await anonymous.json() }).toEqual({ status: 401, body: { ok: false, reason: 'SESSION_EXPIRED' } })
      expect((await fetch(run.base + '/health')).status).toBe(200)
    })

    it('still refuses a form post on its routes with 415, parser or not', async () => {
      const response = await fetch(run.base + run.prefix + '/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=x' })
      expect(response.status).toBe(415)
    })
  })
}

frameworkSuite('Express 5 with express.json(), companion mounted at /wx', (w) => {
  const app = express()
  app.use(express.json())
  app.use(express.urlencoded({ extended: false }))
  app.use('/wx', w.http)
  app.get('/health', (_req, res) => void res.json({ ok: true }))
  app.get('/me', w.session.express, (_req, res) => void res.json({ ok: true, openid: res.locals.openid }))
  return { listener: app as unknown as Listener, prefix: '/wx' }
})

frameworkSuite('Koa 3 with koa-bodyparser, companion at the root', (w) => {
  const app = new Koa()
  app.use(bodyParser({ enableTypes: ['json', 'form'] }))
  app.use(w.http.koa)
  app.use(async (ctx, next) => {
    if (ctx.path === '/health') ctx.body = { ok: true }
    else await next()
  })
  app.use(async (ctx, next) => {
    if (ctx.path !== '/me') return next()
    await w.session.koa(ctx, async () => {
      ctx.body = { ok: true, openid: ctx.state.openid }
    })
  })
  return { listener: app.callback(), prefix: '' }
})

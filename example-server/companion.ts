/**
 * The example companion: what `npm run example:server` serves, and what the example page tests talk to.
 * Without WX_APPID/WX_SECRET it answers from a simulated WeChat API (the model in simulator/); with them,
 * from the real one. Every reply after a code exchange carries a session token the companion signs
 * itself (`sessionSecret`); requests send it back as `Authorization: Bearer …`, which is how the
 * server knows whose key to use for flag '1', and what guards the app's own route `/me`.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHttpHandler, createOpenDataHandler, createWeChatApi, MemoryStore, requireSession } from '../server'
import { systemClock } from '../miniprogram_npm_src/clock'
import { FakeWeChatApi } from '../simulator/fake-wechat-api'
import { APP_ID, WeChatModel } from '../simulator/wechat'

export interface ExampleServerOptions {
  port?: number
  /** Real WeChat credentials; without them a simulated WeChat answers. */
  appId?: string
  appSecret?: string
  /** The simulated WeChat to answer from (tests share theirs with the client). */
  wechat?: WeChatModel
  fetch?: typeof fetch
  /** Signs the session tokens; a random one per start by default (a restart then expires every session). */
  sessionSecret?: string
  /** Session token lifetime, seconds (default 1 day). */
  sessionLifetimeSeconds?: number
}

export async function startExampleServer(options: ExampleServerOptions = {}) {
  const real = !!(options.appId && options.appSecret)
  const appId = real ? (options.appId as string) : APP_ID
  const appSecret = real ? (options.appSecret as string) : 'simulated-secret'
  let fake: FakeWeChatApi | undefined
  if (!real) {
    const wechat = options.wechat || new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, systemClock, (_l, fn) => setTimeout(fn, 20), false)
    fake = new FakeWeChatApi(wechat, appId, appSecret)
  }
  const baseUrl = fake ? await fake.start() : undefined
  const session = { sessionSecret: options.sessionSecret || randomBytes(32).toString('hex'), sessionLifetimeSeconds: options.sessionLifetimeSeconds }
  const handler = createOpenDataHandler({ appId, api: createWeChatApi({ appId, appSecret, baseUrl, fetch: options.fetch }), store: new MemoryStore() })
  const companion = createHttpHandler(handler, session)
  const signedIn = requireSession(session)
  const server = createServer((req, res) => {
    if ((req.url || '').split('?')[0] !== '/me') return void companion(req, res)
    // The app's own business route: only for a valid session; the guard re-logs in on the 401.
    const openid = signedIn(req, res)
    if (!openid) return
    const userId = createHash('sha256').update(openid).digest('hex').slice(0, 12)
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ok: true, user: { id: userId } }))
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    real,
    close: async () => {
      await new Promise((resolve) => server.close(resolve))
      await fake?.stop()
    },
  }
}

/**
 * The example companion: what `npm run example:server` serves, and what the example page tests talk to.
 * Without WX_APPID/WX_SECRET it answers from a simulated WeChat API (the model in simulator/) and, on the
 * same port, serves that simulated WeChat's client side under /dev-wechat (development only; when that is
 * allowed is decided in wechat-mode.ts, and never under NODE_ENV=production); with them, it talks to the
 * real WeChat API and refuses /dev-wechat. Every reply after a code exchange carries a
 * session token the companion signs itself (`sessionSecret`); requests send it back as
 * `Authorization: Bearer …`, which is how the server knows whose key to use for flag '1', and what
 * guards the app's own route `/me`.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHttpHandler, createOpenDataHandler, createWeChatApi, MemoryStore, requireSession } from '../server'
import { systemClock } from '../miniprogram_npm_src/primitives/clock'
import { createDevWeChatHandler, isDevWeChatPath, refuseDevWeChat } from '../simulator/http/dev-wechat-http'
import { FakeWeChatApi } from '../simulator/http/fake-wechat-api'
import { DEFAULT_POLICIES } from '../simulator/model/policy-names'
import { APP_ID, OPENID, WeChatModel, type Policies } from '../simulator/model/wechat'

export interface ExampleServerOptions {
  port?: number
  /** Real WeChat credentials; without them a simulated WeChat answers. */
  appId?: string
  appSecret?: string
  /** With real credentials: where WeChat's server API is (default https://api.weixin.qq.com), e.g. the conformance kit's fake. */
  wechatApiBase?: string
  /** The simulated WeChat to answer from (tests share theirs with the client). */
  wechat?: WeChatModel
  /** The simulated WeChat's policies when `wechat` is not given. */
  policies?: Policies
  fetch?: typeof fetch
  /** Signs the session tokens; a random one per start by default (a restart then expires every session). */
  sessionSecret?: string
  /** Session token lifetime, seconds (default 1 day). */
  sessionLifetimeSeconds?: number
}

export async function startExampleServer(options: ExampleServerOptions = {}) {
  const given = options.appId !== undefined || options.appSecret !== undefined
  // An empty string is a credential someone meant to set (an unset CI secret), not an absent one.
  if (given && !(options.appId?.trim() && options.appSecret?.trim())) throw new Error('set both WX_APPID and WX_SECRET (non-empty) for the real WeChat API, or neither for the simulated one')
  const real = given
  if (!real && process.env.NODE_ENV === 'production') throw new Error('the simulated WeChat is development-only: it does not start with NODE_ENV=production')
  const appId = real ? (options.appId as string) : APP_ID
  const appSecret = real ? (options.appSecret as string) : 'simulated-secret'
  let fake: FakeWeChatApi | undefined
  let wechat: WeChatModel | undefined
  if (!real) {
    wechat = options.wechat || new WeChatModel(options.policies || DEFAULT_POLICIES, systemClock, (_l, fn) => setTimeout(fn, 20), false)
    fake = new FakeWeChatApi(wechat, appId, appSecret)
  }
  if (options.wechatApiBase && !real) throw new Error('WECHAT_API_BASE needs WX_APPID and WX_SECRET (the credentials that API expects)')
  const baseUrl = fake ? await fake.start() : options.wechatApiBase
  const session = { sessionSecret: options.sessionSecret || randomBytes(32).toString('hex'), sessionLifetimeSeconds: options.sessionLifetimeSeconds }
  const store = new MemoryStore()
  const handler = createOpenDataHandler({ appId, api: createWeChatApi({ appId, appSecret, baseUrl, fetch: options.fetch }), store })
  const companion = createHttpHandler(handler, session)
  const signedIn = requireSession(session)
  const me = (req: IncomingMessage, res: ServerResponse) => {
    // The app's own business route: only for a valid session; the guard re-logs in on the 401.
    const openid = signedIn(req, res)
    if (!openid) return
    const userId = createHash('sha256').update(openid).digest('hex').slice(0, 12)
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ok: true, user: { id: userId } }))
  }
  const devWeChat = wechat ? createDevWeChatHandler(wechat, { loseServerKey: () => store.delete(OPENID) }) : refuseDevWeChat
  const server = createServer((req, res) => {
    if (isDevWeChatPath(req.url)) return void devWeChat(req, res)
    if ((req.url || '').split('?')[0] === '/me') return me(req, res)
    return void companion(req, res)
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    real,
    /** The simulated WeChat, when there is one. */
    wechat,
    close: async () => {
      await new Promise((resolve) => server.close(resolve))
      await fake?.stop()
    },
  }
}

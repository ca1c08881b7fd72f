/**
 * npm run example:server — the companion on loopback for the example mini program and the devtools.
 * Without WX_APPID/WX_SECRET it answers from a simulated WeChat API (the model in test/); with them,
 * from the real one. Login replies carry a token; open-data requests send it as `Authorization: Bearer`.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { createHttpHandler, createOpenDataHandler, createWeChatApi, MemoryStore } from '../server'
import { systemClock } from '../miniprogram_npm_src/clock'
import { FakeWeChatApi } from '../test/server/fake-wechat-api'
import { APP_ID, WeChatModel } from '../test/model/wechat'

async function main(): Promise<void> {
  const port = Number(process.env.PORT || 3000)
  const real = process.env.WX_APPID && process.env.WX_SECRET
  const appId = real ? (process.env.WX_APPID as string) : APP_ID
  const appSecret = real ? (process.env.WX_SECRET as string) : 'simulated-secret'
  let baseUrl: string | undefined
  if (!real) {
    const wechat = new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, systemClock, (_l, fn) => setTimeout(fn, 20), false)
    baseUrl = await new FakeWeChatApi(wechat, appId, appSecret).start()
  }
  const tokens = new Map<string, string>()
  const handler = createOpenDataHandler({ appId, api: createWeChatApi({ appId, appSecret, baseUrl }), store: new MemoryStore() })
  const http = createHttpHandler(handler, {
    identify: (req) => tokens.get(String(req.headers.authorization || '').replace(/^Bearer /, '')),
    onLogin: (openid) => {
      const token = randomBytes(16).toString('hex')
      tokens.set(token, openid)
      return { token }
    },
  })
  createServer(http).listen(port, '127.0.0.1', () => {
    console.log(`session-guard companion on http://127.0.0.1:${port} (${real ? 'real WeChat API' : 'simulated WeChat API'})`)
    console.log('  POST /login      { code }                                         → { ok, token }')
    console.log('  POST /open-data  { code, sessionKeyValidFlag, iv, encryptedData } → { ok, data } | { ok: false, reason }')
  })
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHttpHandler, createOpenDataHandler, createWeChatApi, MemoryStore, requireSession } from '../../server'
import { FakeWeChatApi } from '../../simulator/fake-wechat-api'
import { APP_ID } from '../../simulator/wechat'
import type { realWorld } from '../component/harness'
import { loopbackFetch } from '../server/loopback-fetch'

const LIFETIME_S = 3600

/**
 * A companion as `npm run example:server` serves it with issue 9's server half: tokens signed with
 * `sessionSecret`, and the app's own route /me behind requireSession answering `{ ok: true, user: { id } }`.
 * Its clock can be moved forward, which expires every token it issued.
 */
export async function startSessionCompanion(world: ReturnType<typeof realWorld>) {
  const fake = new FakeWeChatApi(world.wechat, APP_ID, 'simulated-secret')
  const baseUrl = await fake.start()
  let skewMs = 0
  const now = () => Date.now() + skewMs
  const session = { sessionSecret: 'a-test-secret-of-at-least-32-characters', sessionLifetimeSeconds: LIFETIME_S, now }
  const api = createWeChatApi({ appId: APP_ID, appSecret: 'simulated-secret', baseUrl, fetch: loopbackFetch as typeof fetch })
  const companion = createHttpHandler(createOpenDataHandler({ appId: APP_ID, api, store: new MemoryStore() }), session)
  const signedIn = requireSession(session)
  const requests: { path: string; status: number }[] = []
  const server = createServer((req, res) => {
    const pathname = (req.url || '').split('?')[0]
    res.on('finish', () => requests.push({ path: pathname, status: res.statusCode }))
    if (pathname !== '/me') return void companion(req, res)
    const openid = signedIn(req, res)
    if (openid) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, user: { id: `user-of-${openid}` } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    expireTokens: () => (skewMs += (LIFETIME_S + 1) * 1000),
    close: async () => {
      await new Promise((resolve) => server.close(resolve))
      await fake.stop()
    },
  }
}


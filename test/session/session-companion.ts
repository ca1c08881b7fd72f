import { startExampleServer } from '../../example-server/companion'
import type { realWorld } from '../component/harness'
import { loopbackFetch } from '../server/loopback-fetch'

/**
 * The companion as `npm run example:server` serves it (tokens signed with `sessionSecret`, the
 * protected route /me answering `{ ok: true, user: { id } }`), answering from the test's WeChat model.
 * `lifetimeSeconds` short, `expireTokens()` waits until every token issued so far has run out.
 */
export async function startSessionCompanion(world: ReturnType<typeof realWorld>, lifetimeSeconds = 24 * 3600) {
  const start = (port?: number) => startExampleServer({ port, wechat: world.wechat, fetch: loopbackFetch as typeof fetch, sessionLifetimeSeconds: lifetimeSeconds })
  let companion = await start()
  const url = companion.url
  return {
    url,
    close: () => companion.close(),
    expireTokens: () => new Promise<void>((resolve) => setTimeout(resolve, lifetimeSeconds * 1000 + 100)),
    /** The companion restarts on the same port with a new secret: every token it issued is refused (401) from now on. */
    async restart() {
      await companion.close()
      companion = await start(Number(new URL(url).port))
    },
  }
}

export type Sent = { path: string; status: number }

/** wx.request over real HTTP (any method, the real status), recording each path and status. */
export function httpRequest(sent: Sent[], rewrite: (url: string) => string = (url) => url) {
  type Options = { url: string; method?: string; data?: unknown; header?: Record<string, string>; success?: (r: unknown) => void; fail?: (e: unknown) => void }
  return (o: Options) => {
    const url = rewrite(o.url)
    // No keep-alive: a companion restarted on the same port must not meet a socket of the old one.
    loopbackFetch(url, { method: o.method || 'GET', headers: { ...o.header, connection: 'close' }, body: o.data === undefined ? undefined : JSON.stringify(o.data) }).then(
      async (r) => {
        sent.push({ path: new URL(url).pathname, status: r.status })
        o.success?.({ statusCode: r.status, data: await r.json(), header: {} })
      },
      (e: Error) => o.fail?.({ errMsg: `request:fail ${e.message}` }),
    )
  }
}

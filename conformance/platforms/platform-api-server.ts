import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { FakeWeChat } from '../wechat/fake-wechat'
import { listenOnLoopback, readSmallBody } from '../wechat/json-api-server'
import type { KitPlatform, PlatformRequest } from './kit-platform'

export interface PlatformApiServer {
  base: string
  /** Every request, method and path, in arrival order. */
  calls: string[]
  stop(): Promise<void>
}

/** No answer takes longer than the slowest scripted one (15 s) and some: a request still open then is cut. */
const ANSWER_BOUND_MS = 30_000

/** The body as the platform reads it: JSON under a JSON content type, a form under a form one, else nothing. */
async function platformRequest(req: IncomingMessage): Promise<PlatformRequest> {
  const url = new URL(req.url || '/', 'http://127.0.0.1')
  const contentType = String(req.headers['content-type'] || '').toLowerCase()
  const text = await readSmallBody(req)
  const request: PlatformRequest = { method: req.method || 'GET', path: url.pathname, query: url.searchParams, contentType }
  if (contentType.startsWith('application/x-www-form-urlencoded')) request.form = new URLSearchParams(text)
  if (contentType.startsWith('application/json')) {
    try {
      const parsed = JSON.parse(text)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) request.json = parsed
    } catch {
      // not JSON: the platform sees no parameters
    }
  }
  return request
}

/** A platform's server API on loopback, each request translated by its profile into the FakeWeChat model. */
export async function servePlatformApi(platform: KitPlatform, wechat: FakeWeChat, port = 0): Promise<PlatformApiServer> {
  const answer = platform.answer
  if (!answer) throw new Error(`${platform.title}'s API is served by the FakeWeChat itself`)
  const calls: string[] = []
  const server: Server = createServer((req, res) => {
    const timer = setTimeout(() => res.destroy(), ANSWER_BOUND_MS)
    // A scripted answer that stop() cut off never settles: the connection's end clears the bound.
    res.on('close', () => clearTimeout(timer))
    void platformRequest(req)
      .then((request) => {
        calls.push(`${request.method} ${request.path}`)
        return answer(request, wechat)
      })
      .then(
        (reply) => {
          if (res.writableEnded || res.destroyed) return
          if (reply === undefined) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404 Not Found</html>')
          res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply.body))
        },
        () => res.destroy(),
      )
      .finally(() => clearTimeout(timer))
  })
  return { ...(await listenOnLoopback(server, port)), calls }
}

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { HandlerResult, OpenDataHandler } from './handler'

export interface HttpAdapterOptions {
  /** Who is asking, from your own auth (a token, a cookie): needed for flag-'1' requests. */
  identify?: (req: IncomingMessage) => string | undefined | Promise<string | undefined>
  /** Adds fields to every reply that follows a code exchange (login, or flag '0'), e.g. your own session token. */
  onLogin?: (openid: string) => Record<string, unknown> | Promise<Record<string, unknown>>
  paths?: { login?: string; openData?: string }
  maxBodyBytes?: number
}

function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        // Stop keeping it, but let the rest drain so the 413 reaches the client.
        req.removeAllListeners('data')
        req.resume()
        reject(Object.assign(new Error('body too large'), { status: 413 }))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'))
      } catch {
        reject(Object.assign(new Error('body is not JSON'), { status: 400 }))
      }
    })
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...(status === 413 ? { connection: 'close' } : {}) })
  res.end(JSON.stringify(body))
}

/** A node:http request handler (also usable as Express/Koa-style middleware body): POST JSON in, reply contract out. */
export function createHttpHandler(handler: OpenDataHandler, options: HttpAdapterOptions = {}) {
  const loginPath = options.paths?.login ?? '/login'
  const openDataPath = options.paths?.openData ?? '/open-data'
  const limit = options.maxBodyBytes ?? 128 * 1024
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url || '').split('?')[0]
    if (req.method !== 'POST' || (path !== loginPath && path !== openDataPath)) {
      send(res, 404, { ok: false, reason: 'NOT_FOUND' })
      return
    }
    let body: unknown
    try {
      body = await readJson(req, limit)
    } catch (error) {
      const status = (error as { status?: number }).status || 400
      send(res, status, { ok: false, reason: status === 413 ? 'TOO_LARGE' : 'BAD_REQUEST' })
      return
    }
    try {
      let result: HandlerResult
      if (path === loginPath) result = await handler.login(body)
      else result = await handler.openData(body, options.identify ? await options.identify(req) : undefined)
      if (result.exchanged && result.openid && options.onLogin) Object.assign(result.reply, await options.onLogin(result.openid))
      send(res, 200, result.reply)
    } catch {
      // The store or WeChat failed in a way the handler could not map; never echo the error (it may name a key).
      send(res, 500, { ok: false, reason: 'INTERNAL' })
    }
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { OpenDataHandler } from '../protocol/handler'
import { createHttpCore, type CoreResponse, type HttpAdapterOptions } from './http-core'
import { discardRest, parsedBody, readJsonBody, type BodyLimits } from './read-body'

export type { HttpAdapterOptions } from './http-core'

type Next = (error?: unknown) => void

/** The slice of a Koa context the middleware uses. */
export interface KoaContextLike {
  req: IncomingMessage
  method: string
  path: string
  request: { body?: unknown }
  status: number
  body: unknown
  set(field: string, value: string): void
}

export interface CompanionHandler {
  /** node:http request listener, and Express middleware: paths it does not own go to `next()` (404 without one). */
  (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: Next): Promise<void>
  /** Koa middleware: `app.use(companion.koa)`. */
  koa(ctx: KoaContextLike, next: () => Promise<unknown>): Promise<void>
}

function pathOf(url: string | undefined): string {
  return (url || '').split('?')[0]
}

/** Uses the body a body parser left on the request, or reads the stream itself. */
function bodyOf(req: IncomingMessage, parsed: unknown, limits: BodyLimits): () => Promise<unknown> {
  return async () => (parsed !== undefined ? parsedBody(parsed) : readJsonBody(req, limits))
}

/** Writes one answer, once: a response someone else already started is left alone. */
function write(res: ServerResponse, out: CoreResponse): void {
  if (res.headersSent || res.writableEnded) return
  res.writeHead(out.status, out.headers)
  res.end(out.body)
}

/**
 * POST /login `{ code }` and POST /open-data `<payload>`, JSON in and the reply contract out, for
 * node:http, Express (also behind express.json()) and Koa (also behind koa-bodyparser).
 */
export function createHttpHandler(handler: OpenDataHandler, options: HttpAdapterOptions): CompanionHandler {
  const core = createHttpCore(handler, options || {})

  const node = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: Next): Promise<void> => {
    // Express strips a mount path from req.url and keeps the full one in originalUrl.
    const path = pathOf(req.url)
    if (!core.owns(path)) {
      if (next) return next()
      return write(res, { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"ok":false,"reason":"NOT_FOUND"}' })
    }
    const out = await core.handle({ method: req.method, path, raw: req, body: bodyOf(req, req.body, core.limits) })
    if (out.status === 413 || out.status === 408) discardRest(req, core.limits.bodyTimeoutMs)
    write(res, out)
  }

  const koa = async (ctx: KoaContextLike, next: () => Promise<unknown>): Promise<void> => {
    if (!core.owns(ctx.path)) {
      await next()
      return
    }
    const out = await core.handle({ method: ctx.method, path: ctx.path, raw: ctx.req, body: bodyOf(ctx.req, ctx.request.body, core.limits) })
    if (out.status === 413 || out.status === 408) discardRest(ctx.req, core.limits.bodyTimeoutMs)
    ctx.status = out.status
    for (const [name, value] of Object.entries(out.headers)) ctx.set(name, value)
    ctx.body = out.body
  }

  return Object.assign(node, { koa })
}

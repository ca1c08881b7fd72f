import type { IncomingMessage, ServerResponse } from 'node:http'
import { bearerToken, createSessionTokens, type SessionTokenOptions } from './session-token'

const EXPIRED = JSON.stringify({ ok: false, reason: 'SESSION_EXPIRED' })
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' }

export interface SessionGate {
  /** node:http: the openid, or undefined after answering 401 `{ ok: false, reason: 'SESSION_EXPIRED' }`. */
  (req: IncomingMessage, res: ServerResponse): string | undefined
  /** The openid behind a request's token, or undefined; answers nothing. */
  openidOf(req: IncomingMessage): string | undefined
  /** Express middleware: sets `res.locals.openid` and calls next(), or answers 401. */
  express(req: IncomingMessage, res: ServerResponse & { locals?: Record<string, unknown> }, next: () => void): void
  /** Koa middleware: sets `ctx.state.openid` and awaits next(), or answers 401. */
  koa(ctx: { req: IncomingMessage; state: Record<string, unknown>; status: number; body: unknown; set(f: string, v: string): void }, next: () => Promise<unknown>): Promise<void>
}

/**
 * Guards the app's own business routes with the tokens `createHttpHandler({ sessionSecret })` issues.
 * The guard on the client sees the 401 SESSION_EXPIRED, logs in once and replays the request.
 */
export function requireSession(options: SessionTokenOptions): SessionGate {
  const tokens = createSessionTokens(options)
  const openidOf = (req: IncomingMessage) => tokens.verify(bearerToken(req.headers.authorization))

  const gate = (req: IncomingMessage, res: ServerResponse): string | undefined => {
    const openid = openidOf(req)
    if (openid) return openid
    if (!res.headersSent) res.writeHead(401, HEADERS).end(EXPIRED)
    return undefined
  }

  return Object.assign(gate, {
    openidOf,
    express(req: IncomingMessage, res: ServerResponse & { locals?: Record<string, unknown> }, next: () => void) {
      const openid = gate(req, res)
      if (!openid) return
      res.locals = { ...(res.locals || {}), openid }
      next()
    },
    async koa(ctx: Parameters<SessionGate['koa']>[0], next: () => Promise<unknown>) {
      const openid = openidOf(ctx.req)
      if (!openid) {
        ctx.status = 401
        for (const [name, value] of Object.entries(HEADERS)) ctx.set(name, value)
        ctx.body = EXPIRED
        return
      }
      ctx.state.openid = openid
      await next()
    },
  })
}

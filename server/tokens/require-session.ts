import type { IncomingMessage, ServerResponse } from 'node:http'
import { bearerToken, createSessionTokens, type SessionTokenOptions, type VerifiedSession } from './session-token'

const EXPIRED = JSON.stringify({ ok: false, reason: 'SESSION_EXPIRED' })
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' }

export interface SessionGate {
  /**
   * node:http: the openid, or undefined after answering 401 `{ ok: false, reason: 'SESSION_EXPIRED' }`.
   * Synchronous: with an async `isRevoked` use `await gate.check(req, res)`.
   */
  (req: IncomingMessage, res: ServerResponse): string | undefined
  /** node:http, revocation included: the openid, or undefined after answering 401. */
  check(req: IncomingMessage, res: ServerResponse): Promise<string | undefined>
  /** The openid behind a request's token, or undefined; answers nothing. */
  openidOf(req: IncomingMessage): string | undefined
  /** What the request's token says without asking isRevoked (its `tokenId` is what a logout denies). */
  sessionOf(req: IncomingMessage): VerifiedSession | undefined
  /** Express middleware: sets `res.locals.openid` and calls next(), or answers 401. */
  express(req: IncomingMessage, res: ServerResponse & { locals?: Record<string, unknown> }, next: () => void): Promise<void>
  /** Koa middleware: sets `ctx.state.openid` and awaits next(), or answers 401. */
  koa(ctx: { req: IncomingMessage; state: Record<string, unknown>; status: number; body: unknown; set(f: string, v: string): void }, next: () => Promise<unknown>): Promise<void>
}

/**
 * Guards the app's own business routes with the tokens `createHttpHandler({ sessionSecret })` issues.
 * The guard on the client sees the 401 SESSION_EXPIRED, logs in once and replays the request.
 */
export function requireSession(options: SessionTokenOptions): SessionGate {
  const tokens = createSessionTokens(options)
  const tokenOf = (req: IncomingMessage) => bearerToken(req.headers.authorization)
  const openidOf = (req: IncomingMessage) => tokens.verify(tokenOf(req))
  const refuse = (res: ServerResponse) => {
    if (!res.headersSent) res.writeHead(401, HEADERS).end(EXPIRED)
    return undefined
  }
  const check = async (req: IncomingMessage, res: ServerResponse): Promise<string | undefined> => (await tokens.check(tokenOf(req)))?.openid ?? refuse(res)

  const gate = (req: IncomingMessage, res: ServerResponse): string | undefined => openidOf(req) ?? refuse(res)

  return Object.assign(gate, {
    check,
    openidOf,
    sessionOf: (req: IncomingMessage) => tokens.inspect(tokenOf(req)),
    async express(req: IncomingMessage, res: ServerResponse & { locals?: Record<string, unknown> }, next: () => void) {
      const openid = await check(req, res)
      if (!openid) return
      res.locals = { ...(res.locals || {}), openid }
      next()
    },
    async koa(ctx: Parameters<SessionGate['koa']>[0], next: () => Promise<unknown>) {
      const session = await tokens.check(tokenOf(ctx.req))
      if (!session) {
        ctx.status = 401
        for (const [name, value] of Object.entries(HEADERS)) ctx.set(name, value)
        ctx.body = EXPIRED
        return
      }
      ctx.state.openid = session.openid
      await next()
    },
  })
}

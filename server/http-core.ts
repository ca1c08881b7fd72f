import type { IncomingMessage } from 'node:http'
import type { HandlerResult, OpenDataHandler } from './handler'
import { createHttpIdentity } from './http-identity'
import { positiveInteger } from './options'
import { BodyError, type BodyLimits } from './read-body'
import { reporter, type ErrorHook, type Report } from './report'

export interface HttpAdapterOptions {
  /**
   * Your own auth: who is asking (from a token, a cookie). Only asked for flag-'1' open data, the one
   * request that needs to know; a throw or a timeout counts as "not identified".
   */
  identify?: (req: IncomingMessage) => string | undefined | Promise<string | undefined>
  /** Or let the companion issue and check its own signed tokens (`Authorization: Bearer`). */
  sessionSecret?: string | Buffer
  /** Lifetime of those tokens, seconds (default 1 day). */
  sessionLifetimeSeconds?: number
  /** Adds fields to every reply that follows a code exchange (login, or flag '0'). */
  onLogin?: (openid: string) => Record<string, unknown> | Promise<Record<string, unknown>>
  /** Told about every failure the companion answered for, secrets redacted. */
  onError?: ErrorHook
  paths?: { login?: string; openData?: string }
  /** Largest body read, bytes (default 128 KiB). */
  maxBodyBytes?: number
  /** Longest a body may take to arrive, ms (default 10 s). */
  bodyTimeoutMs?: number
  /** Bound on identify and onLogin, ms (default 3000). */
  hookTimeoutMs?: number
  now?: () => number
}

export interface CoreRequest {
  method: string | undefined
  path: string
  raw: IncomingMessage
  body(): Promise<unknown>
}

export interface CoreResponse {
  status: number
  headers: Record<string, string>
  body: string
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i

function answer(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): CoreResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) }
}

/** Everything about the companion's two routes that does not depend on the framework. */
export function createHttpCore(handler: OpenDataHandler, options: HttpAdapterOptions) {
  const loginPath = options.paths?.login ?? '/login'
  const openDataPath = options.paths?.openData ?? '/open-data'
  const limits: BodyLimits = {
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, 128 * 1024),
    bodyTimeoutMs: positiveInteger('bodyTimeoutMs', options.bodyTimeoutMs, 10_000),
  }
  const report: Report = reporter(options.onError)
  const { identify, loginFields, tokens } = createHttpIdentity(options, report)

  async function route(req: CoreRequest, body: unknown): Promise<HandlerResult> {
    if (req.path === loginPath) return handler.login(body)
    const needsIdentity = !!body && typeof body === 'object' && (body as { sessionKeyValidFlag?: unknown }).sessionKeyValidFlag === '1'
    return handler.openData(body, needsIdentity ? await identify(req.raw) : undefined)
  }

  /** Serialised before anything is written: a reply JSON cannot express is a 500, not a crash. */
  async function reply(result: HandlerResult): Promise<CoreResponse> {
    let fields: Record<string, unknown> = {}
    if (result.exchanged && result.openid) {
      try {
        fields = await loginFields(result.openid)
      } catch (error) {
        report(error, { stage: 'onLogin', openid: result.openid })
        return answer(500, { ok: false, reason: 'INTERNAL' })
      }
    }
    try {
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ ...result.reply, ...fields }) }
    } catch (error) {
      report(error, { stage: 'reply', openid: result.openid })
      return answer(500, { ok: false, reason: 'INTERNAL' })
    }
  }

  async function handle(req: CoreRequest): Promise<CoreResponse> {
    if (req.method !== 'POST') return answer(405, { ok: false, reason: 'METHOD_NOT_ALLOWED' }, { allow: 'POST' })
    if (!JSON_TYPE.test(String(req.raw.headers['content-type'] || ''))) return answer(415, { ok: false, reason: 'UNSUPPORTED_MEDIA_TYPE' })
    let body: unknown
    try {
      body = await req.body()
    } catch (error) {
      const refusal = error instanceof BodyError ? error : new BodyError(400, 'BAD_INPUT')
      return answer(refusal.status, { ok: false, reason: refusal.reason }, refusal.status === 400 ? {} : { connection: 'close' })
    }
    let result: HandlerResult
    try {
      result = await route(req, body)
    } catch (error) {
      // The handler maps every expected failure; this is a bug or a custom handler's throw. Never echo it.
      report(error, { stage: 'reply' })
      return answer(500, { ok: false, reason: 'INTERNAL' })
    }
    return reply(result)
  }

  return { owns: (path: string) => path === loginPath || path === openDataPath, handle, limits, tokens }
}

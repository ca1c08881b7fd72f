import type { IncomingMessage } from 'node:http'
import type { HandlerResult, OpenDataHandler } from '../protocol/handler'
import { createHttpIdentity } from './http-identity'
import { positiveInteger, timerMs } from '../common/options'
import { BodyError, type BodyLimits } from './read-body'
import { reporter, type Report } from '../common/report'
import type { HttpAdapterOptions } from './http-options'

export type { HttpAdapterOptions } from './http-options'


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

/** The bounds on reading one request body, checked once. */
function bodyLimits(options: HttpAdapterOptions): BodyLimits {
  return {
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, 128 * 1024),
    bodyTimeoutMs: timerMs('bodyTimeoutMs', options.bodyTimeoutMs, 10_000),
  }
}

/** Everything about the companion's two routes that does not depend on the framework. */
export function createHttpCore(handler: OpenDataHandler, options: HttpAdapterOptions) {
  const loginPath = options.paths?.login ?? '/login'
  const openDataPath = options.paths?.openData ?? '/open-data'
  const limits = bodyLimits(options)
  const report: Report = reporter(options.onError)
  const { identify, loginFields, tokens } = createHttpIdentity(options, report, { appId: handler.appId, platform: handler.platform })

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
      // A plain reply without login fields is written as it is: no copy of the open data on every flag-'1' request.
      const asIs = !result.exchanged && Object.getPrototypeOf(result.reply) === Object.prototype
      const body = JSON.stringify(asIs ? result.reply : { ...result.reply, ...fields })
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body }
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

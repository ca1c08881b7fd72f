import { ServerError } from '../common/errors'

export type WeChatCall = (path: string, init?: RequestInit) => Promise<Record<string, unknown>>

const ERRCODES: Record<number, ServerError['code']> = {
  40029: 'CODE_INVALID',
  40163: 'CODE_USED',
  45011: 'RATE_LIMITED',
  40226: 'USER_BLOCKED',
  [-1]: 'WECHAT_BUSY',
}

/** Connection refused or an unknown host: the request never left, so a code in it is still unused. */
const UNSENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']

function wechatError(body: { errcode?: number; errmsg?: string }): ServerError {
  const errcode = Number(body.errcode)
  return new ServerError(ERRCODES[errcode] || 'WECHAT_ERROR', `WeChat errcode ${errcode}: ${String(body.errmsg || '')}`, errcode)
}

const isTimeout = (error: unknown) => error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')

function fetchFailure(error: unknown): ServerError {
  if (isTimeout(error)) return new ServerError('TIMEOUT', 'WeChat API timed out')
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  const code = (cause && cause.code) || (error as { code?: unknown } | undefined)?.code
  return new ServerError('NETWORK', 'WeChat API unreachable', undefined, UNSENT.includes(String(code)))
}

/**
 * One JSON call to WeChat's server API: one deadline over headers and body (the race also bounds
 * a fetch that ignores its signal), errcodes as typed errors.
 */
export function createWeChatTransport(baseUrl: string, timeoutMs: number, doFetch: (input: string, init?: RequestInit) => Promise<Response>): WeChatCall {
  async function fetchJson(path: string, init: RequestInit | undefined, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
    let response: Response
    try {
      response = await doFetch(baseUrl + path, { ...init, signal })
    } catch (error) {
      throw fetchFailure(error)
    }
    let body: Record<string, unknown>
    try {
      body = (await response.json()) as Record<string, unknown>
    } catch (error) {
      if (isTimeout(error)) throw fetchFailure(error)
      throw new ServerError('WECHAT_ERROR', `WeChat API answered HTTP ${response.status} without JSON`)
    }
    if (!body || typeof body !== 'object') throw new ServerError('WECHAT_ERROR', 'WeChat API answered a JSON that is not an object')
    if (body.errcode !== undefined && body.errcode !== 0) throw wechatError(body as { errcode: number; errmsg?: string })
    return body
  }

  // One timer per call both aborts the fetch and settles the race (AbortSignal.timeout costs a second
  // timer and a weak reference per call, which showed in the load bench's cold burst).
  return async (path, init) => {
    const controller = typeof AbortController !== 'undefined' ? new AbortController() : undefined
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new ServerError('TIMEOUT', 'WeChat API timed out'))
        controller?.abort()
      }, timeoutMs)
    })
    try {
      return await Promise.race([fetchJson(path, init, controller?.signal), deadline])
    } finally {
      clearTimeout(timer)
    }
  }
}

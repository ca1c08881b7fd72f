import type { ReplyKind } from '../../miniprogram_npm_src/wire/protocol'
import { renameFields, type OpenDataPayload } from '../../miniprogram_npm_src/wire/protocol'
import type { ClientOptions } from './client-options'

/** What a reply means to the guard: its reply kinds, plus what the transport made of it. */
export type SeenKind = ReplyKind | 'session-expired' | 'request-failed' | 'timeout'

export interface Seen {
  route: 'login' | 'data'
  status: number
  contentType: string
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: unknown
  text: string
  kind: SeenKind
  reason?: string
  token?: string
  ms: number
}

/** The longest the kit waits for one answer: the guard's default timeout (10 s) and a margin. */
export const REQUEST_TIMEOUT_MS = 12_000

/** A body the server meant as its answer (the guard's rule, whatever the HTTP status). */
function isProtocolReply(body: unknown, classify: ClientOptions['classify']): boolean {
  if (safeClassify(classify, body) !== 'failed') return true
  const { ok, reason } = (body && typeof body === 'object' ? body : {}) as { ok?: unknown; reason?: unknown }
  return ok === false && typeof reason === 'string' && reason !== ''
}

function safeClassify(classify: ClientOptions['classify'], body: unknown): ReplyKind {
  try {
    return classify(body)
  } catch {
    return 'failed'
  }
}

/**
 * Plays the guard's side over real HTTP: POSTs JSON the way wx.request does, and reads each answer
 * the way the guard does. Every answer is kept, for the reply-shape scenario.
 */
export class BackendClient {
  readonly seen: Seen[] = []

  constructor(
    private readonly base: string,
    private readonly paths: { login: string; data: string },
    private readonly options: ClientOptions,
  ) {}

  login(code: string, token?: string): Promise<Seen> {
    return this.post('login', { code }, token)
  }

  data(payload: OpenDataPayload, token?: string): Promise<Seen> {
    const body = this.options.fields ? renameFields(payload, this.options.fields) : payload
    return this.post('data', body, token)
  }

  /** A raw body to the data route (malformed payloads), sent as the guard would send any body. */
  rawData(body: unknown, token?: string): Promise<Seen> {
    return this.post('data', body, token)
  }

  async post(route: 'login' | 'data', body: unknown, token?: string): Promise<Seen> {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (token !== undefined) headers[this.options.header.toLowerCase()] = `Bearer ${token}`
    const started = Date.now()
    const url = this.base.replace(/\/$/, '') + (route === 'login' ? this.paths.login : this.paths.data)
    let seen: Seen
    try {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
      const text = await response.text()
      seen = this.read(route, response.status, response.headers.get('content-type') || '', text, Date.now() - started)
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      seen = { route, status: 0, contentType: '', body: undefined, text: timedOut ? 'no answer' : String((error as Error)?.message || error), kind: timedOut ? 'timeout' : 'request-failed', ms: Date.now() - started }
    }
    this.seen.push(seen)
    return seen
  }

  private read(route: 'login' | 'data', status: number, contentType: string, text: string, ms: number): Seen {
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
    const seen: Seen = { route, status, contentType, body, text, kind: 'failed', ms }
    const { reason } = (body && typeof body === 'object' ? body : {}) as { reason?: unknown }
    if (typeof reason === 'string') seen.reason = reason
    const grant = body === undefined ? undefined : safe(() => this.options.fromReply(body))
    if (grant && typeof grant.token === 'string' && grant.token) seen.token = grant.token
    if (route === 'data' && (status === 401 || seen.reason === 'SESSION_EXPIRED')) seen.kind = 'session-expired'
    else if (body !== undefined && (status < 400 || isProtocolReply(body, this.options.classify))) seen.kind = safeClassify(this.options.classify, body)
    else seen.kind = status >= 400 ? 'request-failed' : 'failed'
    return seen
  }
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn()
  } catch {
    return undefined
  }
}

/** One answer in a line, tokens and data blanked: what the table shows under "saw". */
export function describe(seen: Seen): string {
  if (seen.status === 0) return `${seen.kind === 'timeout' ? `no answer within ${Math.round(seen.ms / 1000)} s` : `request failed: ${seen.text}`}`
  const shown = seen.body === undefined ? JSON.stringify(seen.text.slice(0, 60)) : JSON.stringify(blank(seen.body))
  return `HTTP ${seen.status} ${shown.length > 110 ? shown.slice(0, 107) + '...' : shown}`
}

function blank(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) out[key] = key === 'token' ? '<token>' : key === 'data' && v && typeof v === 'object' ? blankData(v) : v
  return out
}

function blankData(data: object): unknown {
  const { phoneNumber } = data as { phoneNumber?: unknown }
  return phoneNumber !== undefined ? { phoneNumber } : '{…}'
}

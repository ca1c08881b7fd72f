import type { ReplyKind } from '../../miniprogram_npm_src/wire/protocol'
import { renameFields, type OpenDataPayload } from '../../miniprogram_npm_src/wire/protocol'
import { carriesReply, defaultIsExpired, isUsableToken } from '../../miniprogram_npm_src/wire/reply-reading'
import { boundedPost, PostFailed, REQUEST_TIMEOUT_MS } from './bounded-post'
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
  /** A token the guard takes (docs/protocol.md P-ID-1): 1–4096 visible ASCII characters. */
  token?: string
  /** A token the reply carried that the guard would refuse, described (never shown). */
  refusedToken?: string
  /** An `ok` body on a status ≥ 400: the guard reads a failed request (P-STATUS-1). */
  okOnError?: true
  ms: number
}

/** After this many requests in a row without a whole answer in time, the rest fail unsent: a dripping backend costs ~36 s, not 12 s a request. */
export const GIVE_UP_AFTER_UNANSWERED = 3

/** classify is the app's code (a --config file): a throw reads as a failure, as in the guard's outcome. */
function safeClassify(classify: ClientOptions['classify']): ClientOptions['classify'] {
  return (body) => {
    try {
      return classify(body)
    } catch {
      return 'failed'
    }
  }
}

/**
 * Plays the guard's side over real HTTP: POSTs JSON the way wx.request does, and reads each answer
 * the way the guard does. Every answer is kept, for the reply-shape scenario.
 */
export class BackendClient {
  readonly seen: Seen[] = []
  /** Requests in a row cut off by the time bound (any whole answer resets it). */
  private unanswered = 0

  constructor(
    private readonly base: string,
    private readonly paths: { login: string; data: string },
    private readonly options: ClientOptions,
    private readonly replyTimeoutMs = REQUEST_TIMEOUT_MS,
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
      // A backend that leaves request after request without a whole answer would cost every scenario the full wait.
      if (this.unanswered >= GIVE_UP_AFTER_UNANSWERED) throw new PostFailed('transport', `not sent: the last ${this.unanswered} requests got no whole answer in time`)
      const reply = await boundedPost(url, headers, JSON.stringify(body), this.replyTimeoutMs)
      this.unanswered = 0
      seen = this.read(route, reply.status, reply.contentType, reply.text, Date.now() - started)
    } catch (error) {
      const timedOut = error instanceof PostFailed && error.why === 'timeout'
      if (timedOut) this.unanswered++
      seen = { route, status: 0, contentType: '', body: undefined, text: String((error as Error)?.message || error), kind: timedOut ? 'timeout' : 'request-failed', ms: Date.now() - started }
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
    const token = grant ? grant.token : undefined
    // The guard's rule: a token outside it is neither stored nor sent, as if the reply carried none.
    if (isUsableToken(token)) seen.token = token
    else if (token !== undefined && token !== null && token !== '') seen.refusedToken = describeToken(token)
    const classify = safeClassify(this.options.classify)
    const res = { statusCode: status, data: body }
    if (route === 'data' && defaultIsExpired(res)) seen.kind = 'session-expired'
    else if (body !== undefined && carriesReply(res, classify)) seen.kind = classify(body)
    else seen.kind = status >= 400 ? 'request-failed' : 'failed'
    if (status >= 400 && body !== undefined && classify(body) === 'ok') seen.okOnError = true
    return seen
  }
}

/** A token the guard refuses, described without showing it (isUsableToken said no; the guard takes 1–4096 visible ASCII). */
function describeToken(token: unknown): string {
  return typeof token === 'string' ? `a token of ${token.length} characters, not all visible ASCII or too many (the guard takes 1–4096)` : `a token of type ${typeof token}`
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
  if (seen.status === 0) return seen.kind === 'timeout' ? `no whole answer within ${Math.round(seen.ms / 1000)} s` : `request failed: ${seen.text}`
  const shown = seen.body === undefined ? JSON.stringify(seen.text.slice(0, 60)) : JSON.stringify(blank(seen.body))
  const line = `HTTP ${seen.status} ${shown.length > 110 ? shown.slice(0, 107) + '...' : shown}`
  if (seen.okOnError) return `${line} (ok on HTTP ${seen.status}: a failed request for the guard, P-STATUS-1)`
  return seen.refusedToken ? `${line} (${seen.refusedToken}: the guard refuses it, P-ID-1)` : line
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

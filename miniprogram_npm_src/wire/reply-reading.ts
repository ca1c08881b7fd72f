/**
 * How the guard reads a server's answer, in one place: the conformance kit imports these same rules,
 * so it judges a reply exactly as a phone will (docs/protocol.md P-STATUS-1..3, P-ID-1).
 */
import type { ReplyKind } from './protocol'
import type { WxResponse } from './wx-api'
import { isObject } from './is-object'

/** What a token may be: visible ASCII (no space, CR, LF or NUL could end up in a header), at most 4096 characters. */
const TOKEN = /^[\x21-\x7e]{1,4096}$/

export const isUsableToken = (token: unknown): token is string => typeof token === 'string' && TOKEN.test(token)

/**
 * A body the server meant as its answer: one `classify` recognises, or the default failure shape
 * `{ ok: false, reason }`. Spring, Laravel and friends answer failures with 4xx/5xx and such a body;
 * a proxy's HTML 502 or an empty body is no answer.
 */
export function isProtocolReply(body: unknown, classify: (reply: unknown) => ReplyKind): boolean {
  if (classify(body) !== 'failed') return true
  const { ok, reason } = (isObject(body) ? body : {}) as { ok?: unknown; reason?: unknown }
  return ok === false && typeof reason === 'string' && reason !== ''
}

/**
 * Whether a response carries the server's answer: on 4xx/5xx a failure the body names counts as on 200.
 * Success is contradicted by such a status, so an `ok` body there proves nothing: a failed request.
 */
export function carriesReply(res: WxResponse, classify: (reply: unknown) => ReplyKind): boolean {
  return res.statusCode < 400 || (classify(res.data) !== 'ok' && isProtocolReply(res.data, classify))
}

/** The default `isExpired`: HTTP 401 or `{ ok: false, reason: 'SESSION_EXPIRED' }` says the token was refused. */
export function defaultIsExpired(res: WxResponse): boolean {
  const body = (res && res.data) as { ok?: unknown; reason?: unknown } | undefined
  return res.statusCode === 401 || (!!body && body.ok === false && body.reason === 'SESSION_EXPIRED')
}

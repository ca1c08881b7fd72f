import type { AppSession } from '../app-session/app-session'
import { SessionGuardError } from '../errors/errors'
import type { ReplyKind } from '../wire/protocol'
import type { WxResponse } from '../wire/wx-api'
import { isObject } from '../wire/is-object'

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
 * The reply a response carries: on 4xx/5xx a failure the body names counts as on 200. Success is
 * contradicted by such a status, so an `ok` body there proves nothing; anything else is a failed request.
 */
export function replyOf(res: WxResponse, classify: (reply: unknown) => ReplyKind): unknown {
  if (res.statusCode < 400) return res.data
  if (classify(res.data) !== 'ok' && isProtocolReply(res.data, classify)) return res.data
  throw new SessionGuardError('NETWORK', 'HTTP ' + res.statusCode, res)
}

/**
 * On the data route a refused token (HTTP 401 by default) is an expired app session, not an answer
 * about the data: the token that went is dropped (a newer one stays) and the caller recovers with a login.
 */
export function dataReplyOf(res: WxResponse, sentVersion: number, app: AppSession, classify: (reply: unknown) => ReplyKind): unknown {
  if (app.expired(res)) {
    app.drop(sentVersion)
    throw new SessionGuardError('SESSION_EXPIRED', 'HTTP ' + res.statusCode + ': the session token was refused', res)
  }
  return replyOf(res, classify)
}

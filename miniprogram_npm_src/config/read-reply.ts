import type { AppSession } from '../app-session/app-session'
import { SessionGuardError } from '../errors/errors'
import type { ReplyKind } from '../wire/protocol'
import type { WxResponse } from '../wire/wx-api'
import { carriesReply } from '../wire/reply-reading'

/**
 * The reply a response carries: on 4xx/5xx a failure the body names counts as on 200. Success is
 * contradicted by such a status, so an `ok` body there proves nothing; anything else is a failed request.
 */
export function replyOf(res: WxResponse, classify: (reply: unknown) => ReplyKind): unknown {
  if (carriesReply(res, classify)) return res.data
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

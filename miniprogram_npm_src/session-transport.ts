import type { AppSession } from './app-session'
import { isGuardError } from './errors'
import type { WirePayload } from './guard-api'
import { classifyDefaultReply, type ReplyKind } from './protocol'
import { wxPostJson, type WxLike, type WxResponse } from './wx-api'

export interface Transport<R> {
  send?: (payload: WirePayload) => Promise<R>
  sendLogin?: (code: string) => Promise<unknown>
}

interface TransportOptions<R> extends Transport<R> {
  url?: string
  loginUrl?: string
  classify?: (reply: unknown) => ReplyKind
}

/** A send whose replies renew the session when they carry a token (an openData call's own send too). */
export function takingTokens<R>(send: (payload: WirePayload) => Promise<R>, session: AppSession): (payload: WirePayload) => Promise<R> {
  return (payload) => Promise.resolve(send(payload)).then((reply) => (session.take(reply), reply))
}

/**
 * The guard's two routes to the developer's server, with the app session on them: requests made with
 * `url`/`loginUrl` carry the token, and every reply that carries one renews it. A login the server
 * confirmed without a token tells the session this server issues none.
 */
export function sessionTransport<R>(options: TransportOptions<R>, wx: WxLike, session: AppSession, timeout: number): Transport<R> {
  const post = (url: string, body: unknown): Promise<unknown> => {
    const generation = session.generation
    return wxPostJson(wx, url, body, timeout, session.headers()).catch((error: unknown) => {
      if (isGuardError(error, 'NETWORK') && error.cause && session.expired(error.cause as WxResponse)) session.drop(generation)
      throw error
    })
  }
  const send = options.send || (options.url ? (payload: WirePayload) => post(options.url as string, payload) as Promise<R> : undefined)
  const sendLogin = options.sendLogin || (options.loginUrl ? (code: string) => post(options.loginUrl as string, { code }) : undefined)
  const classify = options.classify || classifyDefaultReply
  const confirmed = (reply: unknown): boolean => {
    try {
      return classify(reply) === 'ok'
    } catch {
      return false
    }
  }
  return {
    send: send && takingTokens(send, session),
    sendLogin:
      sendLogin &&
      ((code) =>
        Promise.resolve(sendLogin(code)).then((reply) => {
          if (confirmed(reply)) session.loggedIn(reply)
          else session.take(reply)
          return reply
        })),
  }
}

import type { AppSession } from './app-session'
import { isGuardError } from './errors'
import type { WirePayload } from './guard-api'
import { wxPostJson, type WxLike, type WxResponse } from './wx-api'

/**
 * The guard's two routes to the developer's server: the app's own `send`/`sendLogin`, or POSTs to
 * `url`/`loginUrl` that carry the session token. A refusal of that token drops it.
 */
export function sessionTransport<R>(
  options: { send?: (payload: WirePayload) => Promise<R>; sendLogin?: (code: string) => Promise<unknown>; url?: string; loginUrl?: string },
  wx: WxLike,
  session: AppSession,
  timeout: number,
) {
  const post = (url: string | undefined) =>
    url
      ? (body: unknown): Promise<unknown> => {
      const generation = session.generation
      return wxPostJson(wx, url, body, timeout, session.headers()).catch((error: unknown) => {
        if (isGuardError(error, 'NETWORK') && error.cause && session.expired(error.cause as WxResponse)) session.drop(generation)
        throw error
      })
    }
      : undefined
  const login = post(options.loginUrl)
  return {
    send: options.send || (post(options.url) as ((payload: WirePayload) => Promise<R>) | undefined),
    sendLogin: options.sendLogin || (login && ((code: string) => login({ code }))),
  }
}

import type { AppSession } from './app-session'
import { Deadline } from './deadline'
import { SessionGuardError } from './errors'
import type { TimerQueue } from './timer-queue'
import { wxRequest, type WxLike, type WxRequestOptions, type WxResponse } from './wx-api'

/** A response, and the token the request carried. */
type Sent = { res: WxResponse; token: string | undefined }

/**
 * guard.request: the app's own API call with the session token attached. A refused token costs one
 * shared login, and the request is replayed once with the new token; whatever the replay gets is the answer.
 */
export function createAppRequest(
  wx: WxLike,
  session: AppSession,
  timers: TimerQueue,
  /** Bound in ms on all login waits of one call, and on each wx.request unless the caller gives its own. */
  timeout: number,
  /** The guard's shared login; resolves by the deadline, never rejects. */
  login: (deadline: Deadline) => Promise<unknown>,
): (options: WxRequestOptions) => Promise<WxResponse> {

  /** One wx.request, bounded by the caller's timeout (default: the guard's), whatever the logins before it took. */
  function send(options: WxRequestOptions): Promise<Sent> {
    const token = session.token()
    const own = options.timeout as number
    const ms = own > 0 && own < 2 ** 31 ? own : timeout
    const bound = Deadline.after(ms, timers)
    const sending = wxRequest(wx, { ...options, header: { ...options.header, ...session.headers() }, timeout: ms })
    // Times out as 'request:fail timed out', a TIMEOUT SessionGuardError with an errMsg like wx's.
    return bound
      .race(sending, 'request:fail')
      .then((res) => ({ res, token }))
      .finally(() => bound.finish())
  }

  async function request(options: WxRequestOptions): Promise<WxResponse> {
    if (!(options && typeof options.url === 'string' && options.url)) throw new SessionGuardError('INVALID_ARGUMENT', 'request:fail invalid url')
    const deadline = Deadline.after(timeout, timers)
    try {
      return await attempt(options, deadline)
    } finally {
      deadline.finish()
    }
  }

  /**
   * At most one login per call, before sending when there is no token or after a refusal, and at most
   * one replay: nothing loops, however often a server refuses. Logins also keep the guard's rate budget.
   */
  async function attempt(options: WxRequestOptions, deadline: Deadline): Promise<WxResponse> {
    let loggedIn = false
    const loginOnce = async () => {
      if (session.missing() && !loggedIn) {
        loggedIn = true
        await login(deadline)
      }
    }
    await loginOnce()
    let sent = await send(options)
    if (session.expired(sent.res)) {
      // Only the first request to see this token refused drops it; the others find it gone or replaced.
      if (sent.token) session.drop(sent.token)
      await loginOnce()
      const token = session.token()
      // Replayed once, and only with another token than the refused one; whatever the replay gets is the answer.
      if (token && token !== sent.token) sent = await send(options)
    }
    return sent.res
  }

  return request
}

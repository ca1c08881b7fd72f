import type { AppSession } from './app-session'
import { Deadline } from '../primitives/deadline'
import { SessionGuardError } from '../errors/errors'
import { positiveMs } from '../primitives/finite'
import type { TimerQueue } from '../primitives/timer-queue'
import { wxRequest, type WxLike, type WxRequestOptions, type WxResponse } from '../wire/wx-api'

/** Logins in a row after which the request was still refused (no token, or the new one refused), before requests stop logging in for a while. */
export const RELOGIN_LIMIT = 3
export const RELOGIN_PAUSE_MS = 60000

/** A response, and the token the request carried. */
type Sent = { res: WxResponse; token: string | undefined }

const invalid = (name: string) => new SessionGuardError('INVALID_ARGUMENT', `request:fail invalid ${name}`)

/** The options the guard reads, checked strictly; the rest goes to wx.request as given (and wx answers for them). */
function checked(options: WxRequestOptions): WxRequestOptions {
  if (!(options && typeof options.url === 'string' && options.url)) throw invalid('url')
  const { header } = options
  // Its names and values are wx.request's to judge; the guard only spreads it.
  if (header !== undefined && !(header && typeof header === 'object')) throw invalid('header')
  for (const name of ['success', 'fail', 'complete']) if (options[name] !== undefined && typeof options[name] !== 'function') throw invalid(name)
  positiveMs(options.timeout, 0, 'request:fail timeout')
  return options
}

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
  // A server that refuses every token would otherwise cost a login per request, each one a chance to rotate the key.
  let strikes = 0
  let struckAt = 0

  /** One wx.request, bounded by the caller's timeout (default: the guard's), whatever the logins before it took. */
  function send(options: WxRequestOptions): Promise<Sent> {
    const token = session.token()
    const ms = options.timeout === undefined ? timeout : options.timeout
    const bound = Deadline.after(ms, timers)
    const sending = wxRequest(wx, { ...options, header: { ...options.header, ...session.headers() }, timeout: ms })
    // Times out as 'request:fail timed out', a TIMEOUT SessionGuardError with an errMsg like wx's.
    return bound
      .race(sending, 'request:fail')
      .then((res) => ({ res, token }))
      .finally(() => bound.finish())
  }

  async function request(options: WxRequestOptions): Promise<WxResponse> {
    checked(options)
    const deadline = Deadline.after(timeout, timers)
    try {
      return await attempt(options, deadline)
    } finally {
      deadline.finish()
    }
  }

  /**
   * At most one login per call, before sending when there is no token or after a refusal, and at most
   * one replay: nothing loops. After RELOGIN_LIMIT logins in a row that still ended refused (the login
   * failed, or its token was refused at once), requests log in again only after RELOGIN_PAUSE_MS. Logins also keep the guard's rate budget and holds.
   */
  async function attempt(options: WxRequestOptions, deadline: Deadline): Promise<WxResponse> {
    let loggedIn = false
    const loginOnce = async () => {
      if (session.missing() && !loggedIn && (strikes < RELOGIN_LIMIT || timers.clock.now() - struckAt >= RELOGIN_PAUSE_MS)) {
        loggedIn = true
        await login(deadline)
      }
    }
    await loginOnce()
    let sent = await send(options)
    let refused = session.expired(sent.res)
    if (refused) {
      // Only the first request to see this token refused drops it; the others find it gone or replaced.
      if (sent.token) session.drop(sent.token)
      await loginOnce()
      const token = session.token()
      // Replayed once, and only with another token than the refused one; whatever the replay gets is the answer.
      if (token && token !== sent.token) refused = session.expired((sent = await send(options)).res)
    }
    if (!refused) strikes = 0
    else if (loggedIn) {
      strikes++
      struckAt = timers.clock.now()
    }
    return sent.res
  }

  return request
}

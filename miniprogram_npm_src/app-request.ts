import type { AppSession } from './app-session'
import { Deadline } from './deadline'
import { SessionGuardError, isGuardError } from './errors'
import type { TimerQueue } from './timer-queue'
import { wxRequest, type WxLike, type WxRequestOptions, type WxResponse } from './wx-api'

/** Logins in a row whose fresh token the server refused at once, before requests stop asking for more. */
export const RELOGIN_LIMIT = 3
/** After that many, requests log in again only once this long has passed. */
export const RELOGIN_COOLDOWN_MS = 60000

export interface AppRequestDeps {
  wx: WxLike
  session: AppSession
  timers: TimerQueue
  /** Bound in ms on all login waits of one call, and on each wx.request unless the caller gives its own. */
  timeout: number
  /** The guard's shared login; resolves by the deadline, never rejects. */
  login(deadline: Deadline): Promise<unknown>
}

type Sent = { res: WxResponse; generation: number }

function failure(code: 'TIMEOUT' | 'INVALID_ARGUMENT', errMsg: string): SessionGuardError & { errMsg: string } {
  return Object.assign(new SessionGuardError(code, errMsg), { errMsg })
}

/**
 * guard.request: the app's own API call with the session token attached. A refused token costs one
 * shared login, and the request is replayed once with the new token; whatever the replay gets is the answer.
 */
export function createAppRequest(deps: AppRequestDeps): (options: WxRequestOptions) => Promise<WxResponse> {
  const { wx, session, timers } = deps
  const clock = timers.clock
  let strikes = 0
  let struckAt = 0
  const mayLogin = () => strikes < RELOGIN_LIMIT || clock.now() - struckAt >= RELOGIN_COOLDOWN_MS

  /** One wx.request, bounded by the caller's timeout (default: the guard's), whatever the logins before it took. */
  function send(options: WxRequestOptions): Promise<Sent> {
    const generation = session.generation
    const own = options.timeout
    const ms = typeof own === 'number' && own > 0 && own <= 2147483647 ? own : deps.timeout
    const bound = Deadline.after(ms, timers)
    const sending = wxRequest(wx, { ...options, header: { ...options.header, ...session.headers() }, timeout: ms })
    return bound
      .race(sending, 'request')
      .then(
        (res) => ({ res, generation }),
        (error: unknown) => {
          throw isGuardError(error, 'TIMEOUT') ? failure('TIMEOUT', 'request:fail timeout') : error
        },
      )
      .finally(() => bound.finish())
  }

  async function request(input: WxRequestOptions): Promise<WxResponse> {
    if (!input || typeof input !== 'object' || typeof input.url !== 'string' || !input.url) {
      throw failure('INVALID_ARGUMENT', 'request:fail options.url must be a non-empty string')
    }
    // The promise is the one answer: wx's own callbacks would fire once per attempt.
    const { success: _s, fail: _f, complete: _c, ...options } = input
    const deadline = Deadline.after(deps.timeout, timers)
    try {
      return await attempt(options, deadline)
    } finally {
      deadline.finish()
    }
  }

  async function attempt(options: WxRequestOptions, deadline: Deadline): Promise<WxResponse> {
    let loggedIn = false
    if (session.missing() && mayLogin()) {
      loggedIn = true
      await deps.login(deadline)
    }
    const first = await send(options)
    if (!session.expired(first.res)) {
      strikes = 0
      return first.res
    }
    // Only the first request to see this token refused drops it; the others find it gone or replaced.
    session.drop(first.generation)
    if (session.missing()) {
      if (loggedIn || !mayLogin()) return refused(first.res, loggedIn)
      loggedIn = true
      await deps.login(deadline)
    }
    if (!session.token()) return first.res
    const second = await send(options)
    return session.expired(second.res) ? refused(second.res, loggedIn) : ((strikes = 0), second.res)
  }

  function refused(res: WxResponse, afterLogin: boolean): WxResponse {
    if (afterLogin) {
      strikes++
      struckAt = clock.now()
    }
    return res
  }

  return request
}

import type { AppSession } from './app-session'
import { Deadline } from '../primitives/deadline'
import { SessionGuardError } from '../errors/errors'
import { positiveMs } from '../primitives/finite'
import type { TimerQueue } from '../primitives/timer-queue'
import type { LoginOutcome } from '../wire/outcome'
import { wxRequest, type WxLike, type WxRequestOptions, type WxResponse } from '../wire/wx-api'
import { isObject } from '../wire/is-object'

/** Logins whose new token was refused at once, within RELOGIN_PAUSE_MS, after which no request logs in again until the oldest is that old. */
export const RELOGIN_LIMIT = 3
export const RELOGIN_PAUSE_MS = 60000

/** A response, and the version of the token the request carried. */
type Sent = { res: WxResponse; version: number }

/** A login's new token refused at once by a route (`url` up to any query), and whether another request got through with it. */
type Strike = { version: number; route: string; at: number; usable?: boolean }

type Callbacks = { success?: (res: WxResponse) => void; fail?: (error: unknown) => void; complete?: (result: unknown) => void }

const invalid = (name: string) => new SessionGuardError('INVALID_ARGUMENT', 'request:fail invalid ' + name)

/** wx.request's callbacks get the final answer once; one that throws changes nothing. */
function call(fn: unknown, value: unknown): void {
  try {
    if (typeof fn === 'function') fn(value)
  } catch {
    // The app's callback failed; the promise still answers.
  }
}

/** The options the guard reads, checked strictly; the rest goes to wx.request as given (and wx answers for them). */
function checked(options: WxRequestOptions): WxRequestOptions {
  if (!(options && typeof options.url === 'string' && options.url)) throw invalid('url')
  const { header } = options
  // Its names and values are wx.request's to judge; the guard only spreads it.
  if (header !== undefined && !isObject(header)) throw invalid('header')
  for (const name of ['success', 'fail', 'complete']) if (options[name] !== undefined && typeof options[name] !== 'function') throw invalid(name)
  positiveMs(options.timeout, 0, 'request:fail timeout')
  return options
}

/**
 * guard.request: the app's own API call with the session token attached. A refused token costs one
 * shared login, and the request is replayed once after a successful one (whatever token it brought);
 * whatever the replay gets is the answer.
 */
export function createAppRequest(
  wx: WxLike,
  session: AppSession,
  timers: TimerQueue,
  /** Bound in ms on all login waits of one call, and on each wx.request unless the caller gives its own. */
  timeout: number,
  /** The guard's shared login; resolves by the deadline, never rejects. */
  login: (deadline: Deadline) => Promise<LoginOutcome>,
): (options: WxRequestOptions) => Promise<WxResponse> {
  // Each a chance to rotate the key, so logins that cannot help are not made: see `paused`.
  let strikes: Strike[] = []

  /**
   * No login for a token a route refused at once, right after the login that brought it, once another
   * request got through with that token (the route refuses, not the token), and no login at all after
   * RELOGIN_LIMIT such refusals: for RELOGIN_PAUSE_MS after each. A failed login is no strike.
   */
  function paused(version: number, route: string): boolean {
    const now = timers.clock.now()
    strikes = strikes.filter((strike) => now - strike.at < RELOGIN_PAUSE_MS)
    return strikes.length >= RELOGIN_LIMIT || strikes.some((s) => s.usable && s.version === version && s.route === route)
  }

  /** One wx.request, bounded by the caller's timeout (default: the guard's), whatever the logins before it took. */
  function send(options: WxRequestOptions): Promise<Sent> {
    const version = session.version()
    const ms = options.timeout === undefined ? timeout : options.timeout
    const bound = Deadline.after(ms, timers)
    const sending = wxRequest(wx, { ...options, header: { ...options.header, ...session.headers() }, timeout: ms })
    // Times out as 'request:fail timed out', a TIMEOUT SessionGuardError with an errMsg like wx's.
    return bound
      .race(sending, 'request:fail')
      .then((res) => {
        if (!session.expired(res)) for (const strike of strikes) if (strike.version === version) strike.usable = true
        return { res, version }
      })
      .finally(() => bound.finish())
  }

  // Promise code rather than async functions: compiled to ES5 an async function is a generator state
  // machine (tslib's __awaiter/__generator). Each step runs in the same tick as it did when this was async.
  function attempt(options: WxRequestOptions, deadline: Deadline): Promise<WxResponse> {
    try {
      return attemptOnce(options, deadline)
    } catch (error) {
      // As an async function did: a throw becomes the call's rejection, so its deadline is still finished.
      return Promise.reject(error)
    }
  }

  function attemptOnce(options: WxRequestOptions, deadline: Deadline): Promise<WxResponse> {
    const route = options.url.split('?')[0]
    // At most one login per call (undefined: none yet), before sending when there is no token or after a refusal.
    let loggedIn: boolean | undefined
    const relogin = (): Promise<void> =>
      loggedIn === undefined && !paused(session.version(), route)
        ? login(deadline).then((outcome) => {
            loggedIn = outcome.status === 'ok'
          })
        : Promise.resolve()
    const strike = (sent: Sent) => {
      if (loggedIn && session.expired(sent.res) && session.version() === sent.version) strikes.push({ version: sent.version, route, at: timers.clock.now() })
      return sent.res
    }
    const afterFirst = (first: Sent): WxResponse | Promise<WxResponse> => {
      if (!session.expired(first.res)) return first.res
      // A newer token (or none) since this request went: the refusal was not about the current one.
      const changed = session.version() !== first.version
      if (!changed) {
        if (loggedIn) return strike(first)
        if (paused(first.version, route)) return first.res
        // Only the first request to see this token refused drops it; the others find it gone or replaced.
        session.drop(first.version)
      }
      // Replayed once: after this call's successful login, or with a token that came since; never in a loop.
      const replay = () => (loggedIn || (changed && session.token()) ? send(options).then(strike) : first.res)
      return session.missing() ? relogin().then(replay) : replay()
    }
    return (session.missing() ? relogin().then(() => send(options)) : send(options)).then(afterFirst)
  }

  return (options) => {
    const answer = Promise.resolve(options)
      .then(checked)
      .then((valid) => {
        const deadline = Deadline.after(timeout, timers)
        return attempt(valid, deadline).finally(() => deadline.finish())
      })
    const { success, fail, complete } = (options || {}) as Callbacks
    if (success || fail || complete) {
      // Handled here, so a caller who answers through fail/complete gets no unhandled rejection.
      answer.then(
        (res) => (call(success, res), call(complete, res)),
        (error: unknown) => (call(fail, error), call(complete, error)),
      )
    }
    return answer
  }
}

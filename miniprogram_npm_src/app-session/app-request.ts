import type { AppSession } from './app-session'
import { Deadline, timeoutError } from '../primitives/deadline'
import { SessionGuardError } from '../errors/errors'
import { positiveMs } from '../primitives/finite'
import type { TimerQueue } from '../primitives/timer-queue'
import type { LoginOutcome } from '../wire/outcome'
import { invoke, type WxLike, type WxRequestOptions, type WxResponse } from '../wire/wx-api'
import { isObject } from '../wire/is-object'

/** Logins whose new token was refused at once, within RELOGIN_PAUSE_MS, after which no request logs in again until the oldest is that old. */
export const RELOGIN_LIMIT = 3
export const RELOGIN_PAUSE_MS = 60000

/** A response, the version of the token the request carried, and whether the response refused it. */
type Sent = { res: WxResponse; version: number; refused: boolean }

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

/**
 * wx.request with the session's header, bounded by `ms` on the guard's timers: rejects with TIMEOUT
 * ('request:fail timed out', an errMsg like wx's) when the bound passes first. One timer entry, and
 * no promise between wx and the caller but this one: it runs on every API call of the app.
 */
function boundedRequest(wx: WxLike, options: WxRequestOptions, header: Record<string, string>, ms: number, timers: TimerQueue): Promise<WxResponse> {
  return new Promise<WxResponse>((resolve, reject) => {
    if (typeof wx.request !== 'function') throw new SessionGuardError('CONFIG', 'no wx.request')
    const cancel = timers.at(timers.clock.now() + ms, () => reject(timeoutError('request:fail')))
    try {
      // The promise is the one answer: a caller's own callbacks (complete too) would fire once per attempt.
      invoke(wx, 'request', {
        ...options,
        header: { ...options.header, ...header },
        timeout: ms,
        success: (res: WxResponse) => (cancel(), resolve(res)),
        fail: (error: unknown) => (cancel(), reject(error)),
        complete: undefined,
      })
    } catch (error) {
      cancel()
      reject(error)
    }
  })
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

/** What one guard's requests share. */
interface Requests {
  wx: WxLike
  app: AppSession
  timers: TimerQueue
  /** Bound in ms on all login waits of one call, and on each wx.request unless the caller gives its own. */
  callMs: number
  /** The guard's shared login; resolves by the deadline, never rejects. */
  relogin: (deadline: Deadline) => Promise<LoginOutcome>
  /** Each a chance to rotate the key, so logins that cannot help are not made: see `paused`. */
  strikes: Strike[]
}

/**
 * No login for a token a route refused at once, right after the login that brought it, once another
 * request got through with that token (the route refuses, not the token), and no login at all after
 * RELOGIN_LIMIT such refusals: for RELOGIN_PAUSE_MS after each. A failed login is no strike.
 */
function paused(r: Requests, version: number, route: string): boolean {
  const now = r.timers.clock.now()
  const strikes = (r.strikes = r.strikes.filter((strike) => now - strike.at < RELOGIN_PAUSE_MS))
  return strikes.length >= RELOGIN_LIMIT || strikes.some((s) => s.usable && s.version === version && s.route === route)
}

/** One wx.request, bounded by the caller's timeout (default: the guard's), whatever the logins before it took. */
function send(r: Requests, options: WxRequestOptions): Promise<Sent> {
  const version = r.app.version()
  return boundedRequest(r.wx, options, r.app.headers(), options.timeout === undefined ? r.callMs : options.timeout, r.timers).then((res) => {
    const refused = r.app.expired(res)
    if (!refused) for (const strike of r.strikes) if (strike.version === version) strike.usable = true
    return { res, version, refused }
  })
}

// Promise code rather than async functions: compiled to ES5 an async function is a generator state
// machine (tslib's __awaiter/__generator), and this runs on every API call of the app. The common call
// (a token, sent once, not refused) is one bounded wx.request and two thens, and builds no recovery.

/** One call from `start`: a login first when there is no token, one more after a refusal, each send bounded on its own. */
function attemptOnce(r: Requests, options: WxRequestOptions, start: number): Promise<WxResponse> {
  if (!r.app.missing()) return send(r, options).then((first) => (first.refused ? recovery(r, options, start).afterFirst(first) : first.res))
  const call = recovery(r, options, start)
  return call.relogin().then(() => send(r, options)).then(call.afterFirst)
}

/** What a call needs once it must log in: at most one login, the refused answer read, one replay. */
function recovery(r: Requests, options: WxRequestOptions, start: number) {
  const session = r.app
  const route = options.url.split('?')[0]
  // At most one login per call (undefined: none yet), before sending when there is no token or after a refusal.
  let loggedIn: boolean | undefined
  const relogin = (): Promise<void> => {
    if (loggedIn !== undefined || paused(r, session.version(), route)) return Promise.resolve()
    // The call's bound on its login waits runs from the call's start; a call that needs no login arms none.
    const deadline = new Deadline(start + r.callMs, r.timers)
    return r.relogin(deadline).then((outcome) => {
      deadline.finish()
      loggedIn = outcome.status === 'ok'
    })
  }
  const strike = (sent: Sent) => {
    if (loggedIn && sent.refused && session.version() === sent.version) r.strikes.push({ version: sent.version, route, at: r.timers.clock.now() })
    return sent.res
  }
  const afterFirst = (first: Sent): WxResponse | Promise<WxResponse> => {
    if (!first.refused) return first.res
    // A newer token (or none) since this request went: the refusal was not about the current one.
    const changed = session.version() !== first.version
    if (!changed) {
      if (loggedIn) return strike(first)
      if (paused(r, first.version, route)) return first.res
      // Only the first request to see this token refused drops it; the others find it gone or replaced.
      session.drop(first.version)
    }
    // Replayed once: after this call's successful login, or with a token that came since; never in a loop.
    const replay = () => (loggedIn || (changed && session.token()) ? send(r, options).then(strike) : first.res)
    return session.missing() ? relogin().then(replay) : replay()
  }
  return { relogin, afterFirst }
}

/**
 * guard.request: the app's own API call with the session token attached. A refused token costs one
 * shared login, and the request is replayed once after a successful one (whatever token it brought);
 * whatever the replay gets is the answer.
 */
export function createAppRequest(
  wx: WxLike,
  app: AppSession,
  timers: TimerQueue,
  timeout: number,
  relogin: (deadline: Deadline) => Promise<LoginOutcome>,
): (options: WxRequestOptions) => Promise<WxResponse> {
  const r: Requests = { wx, app, timers, callMs: timeout, relogin, strikes: [] }
  return (options) => {
    let answer: Promise<WxResponse>
    try {
      answer = attemptOnce(r, checked(options), timers.clock.now())
    } catch (error) {
      // Bad options and a throw on the way answer as a rejection, never as a throw.
      answer = Promise.reject(error)
    }
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

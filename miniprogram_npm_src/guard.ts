import { systemClock } from './clock'
import { parseDetail, type OpenData } from './detail'
import { SessionGuardError, isGuardError } from './errors'
import type { GuardEvent } from './events'
import type { SessionGuard, SessionGuardOptions } from './guard-api'
import { LoginGate, type Release } from './login-gate'
import { established, reasonOf, type Phase, type PhaseResult, type Route, type Send } from './login-phase'
import type { FailureReason, Outcome, PrepareOutcome, RetryReason } from './outcome'
import { classifyDefaultReply, renameFields, type OpenDataPayload, type ReplyKind } from './protocol'
import { RateLimiter } from './rate-limiter'
import { redactRecord } from './redact'
import { SingleFlight } from './single-flight'
import { withDeadline } from './with-timeout'
import { wxCheckSession, wxLogin, wxPostJson, type WxLike } from './wx-api'

/** WeChat allows 4 wx.login + wx.checkSession calls per user per second; the margin absorbs clock skew. */
const CALLS_PER_WINDOW = 4
const WINDOW_MS = 1100
const DEFAULT_TIMEOUT = 10000
const DEFAULT_HOLD_MS = 30000

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !(value > 0) || !isFinite(value)) {
    throw new SessionGuardError('CONFIG', `${name} must be a positive number of milliseconds`)
  }
  return value
}

declare const wx: WxLike | undefined

export function createSessionGuard<R = unknown>(options: SessionGuardOptions<R> = {}): SessionGuard<R> {
  const found: WxLike | undefined = options.wx || (typeof wx !== 'undefined' ? wx : undefined)
  if (!found || typeof found.login !== 'function' || typeof found.checkSession !== 'function') {
    throw new SessionGuardError('CONFIG', 'no wx: pass options.wx')
  }
  const api: WxLike = found
  const timeout = positive(options.timeout, DEFAULT_TIMEOUT, 'timeout')
  const holdMs = positive(options.holdMs, DEFAULT_HOLD_MS, 'holdMs')
  const clock = options.clock || systemClock
  const classify = options.classify || classifyDefaultReply

  const defaultSend: Send<R> | undefined = options.send
    ? options.send
    : options.url
      ? (payload) => wxPostJson(api, options.url as string, payload, timeout) as Promise<R>
      : undefined
  if (!defaultSend) throw new SessionGuardError('CONFIG', 'pass send or url')
  const sendLogin = options.sendLogin
    ? options.sendLogin
    : options.loginUrl
      ? (code: string) => wxPostJson(api, options.loginUrl as string, { code }, timeout)
      : undefined

  const gate = new LoginGate(clock)
  const limiter = new RateLimiter(CALLS_PER_WINDOW, WINDOW_MS, clock)
  const checks = new SingleFlight<'check', boolean>()
  let logins = 0
  let needsLogin = false
  let phase: Phase | null = null
  let lastValid: { at: number; logins: number } | undefined

  function sawValidSession(): void {
    lastValid = { at: clock.now(), logins }
  }

  function emit(event: GuardEvent): void {
    if (!options.onEvent) return
    try {
      options.onEvent(event)
    } catch {
      // A broken listener must not break logins.
    }
  }

  function safeClassify(reply: unknown): ReplyKind {
    try {
      return classify(reply)
    } catch {
      return 'failed'
    }
  }

  function checkSession(deadline: number): Promise<boolean> {
    // Under a burst the rate limit would make every tap wait; a session seen valid within the last
    // window, with no login since, is still valid (WeChat keys live for days).
    const now = clock.now()
    if (limiter.delayBeforeNextCall(now) > 0 && lastValid && lastValid.logins === logins && now - lastValid.at <= WINDOW_MS) {
      return Promise.resolve(true)
    }
    const { value } = checks.do('check', () => {
      const own = clock.now() + timeout
      return withDeadline(limiter.run(() => wxCheckSession(api), own), own, clock, 'wx.checkSession').then((valid) => {
        emit({ type: 'check-session', valid })
        if (valid) sawValidSession()
        return valid
      })
    })
    return withDeadline(value, deadline, clock, 'wx.checkSession')
  }

  /** Waits out any login in flight, then takes a hold in the same tick, so none can start until released. */
  async function holdForDecrypt(deadline: number): Promise<Release> {
    while (phase && phase.invoked) {
      await withDeadline(phase.done, deadline, clock, 'login in flight')
    }
    return gate.hold(Math.max(1, deadline - clock.now()))
  }

  async function sendPayload(send: Send<R>, payload: OpenDataPayload, deadline: number): Promise<unknown> {
    const carriesCode = payload.code !== ''
    emit({ type: 'send', carriesCode, payload: redactRecord({ ...payload }) })
    try {
      const reply = await withDeadline(
        Promise.resolve().then(() => send(renameFields(payload, options.fields))),
        deadline,
        clock,
        'request',
      )
      return reply
    } catch (error) {
      emit({ type: 'reply', carriesCode, kind: 'lost' })
      throw error
    }
  }

  /** wx.login, invoked only when no hold is left and the rate limit has room. */
  async function invokeLogin(current: Phase, deadline: number): Promise<string> {
    for (;;) {
      await gate.whenClear(deadline)
      await limiter.whenFree(deadline)
      if (gate.holds === 0 && limiter.tryClaim()) break
    }
    current.invoked = true
    logins++
    try {
      const code = await withDeadline(wxLogin(api, Math.max(1, deadline - clock.now())), deadline, clock, 'wx.login')
      emit({ type: 'login', ok: true, logins })
      return code
    } catch (error) {
      emit({ type: 'login', ok: false, logins })
      throw error
    }
  }

  async function executePhase(current: Phase, route: Route<R>): Promise<PhaseResult> {
    let code: string
    try {
      code = await invokeLogin(current, clock.now() + timeout)
    } catch (error) {
      return { kind: 'no-login', error }
    }
    // From here the code must travel in exactly one request, whether or not
    // the caller that asked for it is still waiting.
    const deadline = clock.now() + timeout
    try {
      let reply: unknown
      if (route === 'login') {
        emit({ type: 'send-login' })
        reply = await withDeadline(
          Promise.resolve().then(() => (sendLogin as (code: string) => Promise<unknown>)(code)),
          deadline,
          clock,
          'login request',
        )
      } else {
        reply = await sendPayload(route.send, { ...route.data, code, sessionKeyValidFlag: '0' }, deadline)
      }
      const replyKind = safeClassify(reply)
      emit({ type: 'reply', carriesCode: true, kind: replyKind })
      return { kind: 'replied', replyKind, reply }
    } catch (error) {
      return { kind: 'lost', error }
    }
  }

  /** Single-flight login phase: wx.login plus the one request that carries its code. */
  function startPhase(route: Route<R>): { current: Phase; own: boolean } {
    if (phase) return { current: phase, own: false }
    const current: Phase = { invoked: false, done: undefined as unknown as Promise<PhaseResult> }
    phase = current
    current.done = executePhase(current, route).then((result) => {
      if (phase === current) phase = null
      if (established(result)) sawValidSession()
      if (result.kind === 'replied') needsLogin = !established(result)
      else if (result.kind === 'lost') needsLogin = true
      return result
    })
    return { current, own: true }
  }

  /**
   * After a code request whose key the server may not have stored: log in again
   * through the login route, so the next tap works. Resolves whether it did.
   */
  async function reestablish(deadline: number): Promise<boolean> {
    if (!sendLogin) return false
    try {
      const result = await withDeadline(startPhase('login').current.done, deadline, clock, 'session repair')
      return established(result)
    } catch {
      return false
    }
  }

  function failed(reason: FailureReason, error?: unknown, reply?: unknown): Outcome<R> {
    const outcome: Outcome<R> = { status: 'failed', reason }
    if (error !== undefined) outcome.error = error
    if (reply !== undefined) outcome.reply = reply as R
    return outcome
  }

  /** Why a login phase left the server without a fresh key. */
  function phaseFailure(result: PhaseResult): { reason: 'LOGIN_FAILED' | 'TIMEOUT' | 'NETWORK' | 'CODE_REJECTED' | 'SERVER'; error?: unknown } {
    if (result.kind !== 'replied') return { reason: reasonOf(result.error), error: result.error }
    return { reason: result.replyKind === 'code-rejected' ? 'CODE_REJECTED' : 'SERVER' }
  }

  const retry = (reason: RetryReason): Outcome<R> => ({ status: 'retry', reason })

  /**
   * A login phase that carried or preceded this data failed. Where the server may now lack the
   * current key, repair the session through the login route first, so the user's next tap works.
   */
  async function afterFailedPhase(result: PhaseResult, deadline: number): Promise<Outcome<R>> {
    const { reason, error } = phaseFailure(result)
    const repairable = reason !== 'SERVER' && !(reason === 'TIMEOUT' && result.kind === 'no-login')
    if (repairable && (await reestablish(deadline))) return retry(reason as RetryReason)
    return failed(reason, error, result.kind === 'replied' ? result.reply : undefined)
  }

  /** Sends data with a fresh login code (flag '0'), or after someone else's login when one is already under way. */
  async function sendWithLogin(
    data: OpenData,
    send: Send<R>,
    deadline: number,
    arrival: number,
  ): Promise<Outcome<R>> {
    const { current, own } = startPhase({ data, send })
    const result = await withDeadline(current.done, deadline, clock, 'login')
    // Someone else's code went first: this data follows with flag '1', and gets no login of its own.
    if (!own) return established(result) ? sendValid(data, send, deadline, arrival, true) : afterFailedPhase(result, deadline)
    if (result.kind !== 'replied' || result.replyKind === 'code-rejected' || result.replyKind === 'session-key-missing') {
      return afterFailedPhase(result, deadline)
    }
    if (result.replyKind === 'ok') return { status: 'ok', reply: result.reply as R }
    // The server holds the new key now; the data was sealed with an older one.
    if (result.replyKind === 'decrypt-failed') return retry('DECRYPT_FAILED')
    return failed('SERVER', undefined, result.reply)
  }

  /** Sends data with flag '1' under a hold, and recovers once if the server's key turns out missing or stale. */
  async function sendValid(
    data: OpenData,
    send: Send<R>,
    deadline: number,
    arrival: number,
    recovered: boolean,
    held?: Release,
  ): Promise<Outcome<R>> {
    const release = held || (await holdForDecrypt(deadline))
    let reply: unknown
    try {
      reply = await sendPayload(send, { ...data, code: '', sessionKeyValidFlag: '1' }, deadline)
    } catch (error) {
      return failed(reasonOf(error), error)
    } finally {
      release()
    }
    const kind = safeClassify(reply)
    emit({ type: 'reply', carriesCode: false, kind })
    switch (kind) {
      case 'ok':
        return { status: 'ok', reply: reply as R }
      case 'session-key-missing':
      case 'decrypt-failed': {
        if (recovered) return retry(kind === 'decrypt-failed' ? 'DECRYPT_FAILED' : 'SESSION_KEY_MISSING')
        // One recovery. With no login since the data arrived, the key that sealed it is the one a fresh
        // code yields (unless WeChat rotates it): send the data with one. After a newer login, a new code
        // cannot help; the server may already hold the sealing key, so the data goes once more with flag '1'.
        return logins === arrival
          ? sendWithLogin(data, send, deadline, arrival)
          : sendValid(data, send, deadline, arrival, true)
      }
      case 'code-rejected':
        return failed('CODE_REJECTED', undefined, reply)
      default:
        return failed('SERVER', undefined, reply)
    }
  }

  /** The seed thread's rule, made safe against every other caller of this guard. */
  async function deliver(data: OpenData, send: Send<R>, deadline: number, held?: Release): Promise<Outcome<R>> {
    let release = held
    try {
      if (!release && phase && phase.invoked) {
        // Arrived while a login is in flight: its code request goes first, then this data with flag '1'.
        // Which key sealed it is unknown, so that login counts as newer than the data: no login of its own.
        const arrival = logins - 1
        const result = await withDeadline(phase.done, deadline, clock, 'login in flight')
        return established(result) ? await sendValid(data, send, deadline, arrival, false) : await afterFailedPhase(result, deadline)
      }
      release = release || gate.hold(Math.max(1, deadline - clock.now()))
      const arrival = logins
      // needsLogin is not consulted: the data is sealed already, and flag '1' either works or recovers.
      if (await checkSession(deadline)) {
        const transferred = release
        release = undefined
        return await sendValid(data, send, deadline, arrival, false, transferred)
      }
      release()
      release = undefined
      return await sendWithLogin(data, send, deadline, arrival)
    } catch (error) {
      return failed(reasonOf(error), error)
    } finally {
      if (release) release()
    }
  }

  function report<T extends { status: string; reason?: string }>(
    call: 'getPhoneNumber' | 'openData' | 'prepare',
    outcome: Promise<T>,
  ): Promise<T> {
    return outcome.then((result) => {
      emit({ type: 'outcome', call, status: result.status, reason: result.reason })
      return result
    })
  }

  function getPhoneNumber(detail: unknown): Promise<Outcome<R>> {
    const deadline = clock.now() + timeout
    const parsed = parseDetail(detail)
    let outcome: Promise<Outcome<R>>
    switch (parsed.kind) {
      case 'data':
        outcome = deliver(parsed.data, defaultSend as Send<R>, deadline)
        break
      case 'denied':
        outcome = Promise.resolve({ status: 'denied', errMsg: parsed.errMsg })
        break
      case 'no-quota':
        outcome = Promise.resolve(failed('NO_QUOTA', new SessionGuardError('INVALID_DETAIL', parsed.errMsg)))
        break
      case 'wx-fail':
        outcome = Promise.resolve(failed('WX_FAIL', new SessionGuardError('INVALID_DETAIL', parsed.errMsg)))
        break
      default:
        outcome = Promise.resolve(failed('INVALID_DETAIL', parsed.error))
    }
    return report('getPhoneNumber', outcome)
  }

  async function runOpenData(fetch: () => unknown, send: Send<R>): Promise<Outcome<R>> {
    const deadline = clock.now() + timeout
    let release: Release | undefined
    try {
      // Hold before WeChat encrypts: no login can start between encryption and decryption.
      release = await holdForDecrypt(deadline)
      let raw: unknown
      try {
        raw = await withDeadline(Promise.resolve().then(fetch), deadline, clock, 'open data fetch')
      } catch (error) {
        if (isGuardError(error, 'TIMEOUT')) return failed('TIMEOUT', error)
        const parsedError = parseDetail(error)
        if (parsedError.kind === 'denied') return { status: 'denied', errMsg: parsedError.errMsg }
        return failed('FETCH_FAILED', error)
      }
      const parsed = parseDetail(raw)
      if (parsed.kind === 'denied') return { status: 'denied', errMsg: parsed.errMsg }
      if (parsed.kind !== 'data') return failed('FETCH_FAILED', parsed.kind === 'invalid' ? parsed.error : raw)
      const transferred = release
      release = undefined
      return await deliver(parsed.data, send, deadline, transferred)
    } catch (error) {
      return failed(reasonOf(error), error)
    } finally {
      if (release) release()
    }
  }

  function openData(fetch: () => unknown, send?: Send<R>): Promise<Outcome<R>> {
    const bad = typeof fetch !== 'function' || (send !== undefined && typeof send !== 'function')
    const outcome = bad
      ? Promise.resolve(failed('INVALID_ARGUMENT', new SessionGuardError('INVALID_ARGUMENT', 'openData(fetch, send?) takes functions')))
      : runOpenData(fetch, send || (defaultSend as Send<R>))
    return report('openData', outcome)
  }

  function prepareOutcome(result: PhaseResult): PrepareOutcome {
    return established(result) ? { status: 'ok', loggedIn: true } : { status: 'failed', ...phaseFailure(result) }
  }

  async function runPrepare(): Promise<PrepareOutcome> {
    const deadline = clock.now() + timeout
    try {
      if (phase) return prepareOutcome(await withDeadline(phase.done, deadline, clock, 'login'))
      if (!needsLogin && (await checkSession(deadline)) && !needsLogin) return { status: 'ok', loggedIn: false }
      if (!sendLogin) return { status: 'failed', reason: 'NO_LOGIN_ROUTE' }
      return prepareOutcome(await withDeadline(startPhase('login').current.done, deadline, clock, 'login'))
    } catch (error) {
      return { status: 'failed', reason: reasonOf(error), error }
    }
  }

  return {
    getPhoneNumber,
    openData,
    prepare: () => report('prepare', runPrepare()),
    invalidate() {
      needsLogin = true
    },
    holdLogins(maxMs?: number) {
      return gate.hold(positive(maxMs, holdMs, 'holdLogins(maxMs)'))
    },
    inspect() {
      return {
        holds: gate.holds,
        login: phase ? (phase.invoked ? 'in-flight' : 'waiting') : 'idle',
        needsLogin,
        logins,
        waiters: gate.waiting + limiter.waiting + checks.size,
      }
    },
  }
}

import type { GuardConfig, Send } from '../config/config'
import { Deadline } from '../primitives/deadline'
import type { OpenData, PhoneCodeData } from '../wire/detail'
import { isGuardError } from '../errors/errors'
import type { Phase, PhaseResult } from './phase'
import { payloadOf, sendPayload } from './send-payload'
import { wxLogin } from '../wire/wx-api'
import { failed, type Outcome } from '../wire/outcome'
import type { WxSession } from './wx-session'

export type { PhaseResult } from './phase'

/** Where a phase's code goes: with a tap's data (sealed, or a phone code alone), or to the login route. */
export type Route<R> = { data: OpenData | PhoneCodeData; send: Send<R> } | 'login'

/**
 * The reply proves the server stored the key of this phase's code: `ok`, or, on the data route,
 * `decrypt-failed` (it exchanged the code, then the data did not open). Nothing else proves it:
 * not an error page, an empty body, nor a failure the server names.
 */
export function established(result: PhaseResult): boolean {
  if (result.kind !== 'replied') return false
  return result.replyKind === 'ok' || (result.route === 'data' && result.replyKind === 'decrypt-failed')
}

/** The reason a thrown error stands for: the guard's own TIMEOUT and LOGIN_FAILED, or a failed request. */
export function reasonOf(error: unknown): 'TIMEOUT' | 'LOGIN_FAILED' | 'NETWORK' {
  return isGuardError(error, 'TIMEOUT') || isGuardError(error, 'LOGIN_FAILED') ? (error.code as 'TIMEOUT' | 'LOGIN_FAILED') : 'NETWORK'
}

/** A call that threw: failed for the reason its error stands for. */
export const failure = (error: unknown): Outcome<never> => failed(reasonOf(error), error)

/** Joins the phase in flight, or starts one that takes `route`; `own` says which. */
export function startPhase<R>(session: WxSession, config: GuardConfig<R>, route: Route<R>): { current: Phase; own: boolean } {
  if (session.phase) return { current: session.phase, own: false }
  let settle!: () => void
  const current: Phase = { invoked: false, done: undefined as unknown as Promise<PhaseResult>, settled: new Promise<void>((resolve) => (settle = resolve)) }
  session.phase = current
  // A code request we stopped waiting for may still reach the server: the phase lasts until it
  // settles, bounded by one more timeout measured by a timer, so no clock step can cut it short.
  let cancelCap = () => undefined as void
  current.settled.then(() => {
    cancelCap()
    if (session.phase === current) session.phase = null
  })
  const request: { settled?: Promise<unknown> } = {}
  current.done = runPhase(session, config, current, route, request).then((result) => {
    if (request.settled) {
      cancelCap = session.timers.after(config.timeout, settle)
      request.settled.then(settle, settle)
    } else settle()
    if (established(result)) {
      session.sawValidSession()
      session.established = true
    }
    if (result.kind === 'replied') session.needsLogin = !established(result)
    else if (result.kind === 'lost') session.needsLogin = true
    return result
  })
  return { current, own: true }
}

// Promise code rather than async functions: compiled to ES5 an async function is a generator state
// machine (tslib's __awaiter/__generator) that every login would pay for. Each function takes its
// first step in the same tick, and turns a synchronous throw into a rejection, as an async one did.

function runPhase<R>(
  session: WxSession,
  config: GuardConfig<R>,
  current: Phase,
  route: Route<R>,
  request: { settled?: Promise<unknown> },
): Promise<PhaseResult> {
  return invokeLogin(session, config, current).then(
    (code) => sendCode(session, config, current, route, request, code),
    (error: unknown): PhaseResult => ({ kind: 'no-login', error }),
  )
}

/** From here the code must travel in exactly one request, whether or not the caller that asked for it is still waiting. */
function sendCode<R>(
  session: WxSession,
  config: GuardConfig<R>,
  current: Phase,
  route: Route<R>,
  request: { settled?: Promise<unknown> },
  code: string,
): Promise<PhaseResult> {
  const deadline = Deadline.after(config.timeout, session.timers)
  let reply: Promise<unknown>
  try {
    if (route === 'login') {
      if (config.emit) config.emit({ type: 'send-login' })
      const sendLogin = config.sendLogin as (code: string) => Promise<unknown>
      const sent = Promise.resolve().then(() => sendLogin(code))
      request.settled = sent
      // A reply that proves the login brings its token even after we stopped waiting for it, while
      // its phase lasts (so no later login's token can be overwritten by it).
      sent.then((value) => {
        if (config.classify(value) === 'ok' && session.phase === current) config.app.take(value, true)
      }, () => undefined)
      reply = deadline.race(sent, 'login request')
    } else {
      let settled!: () => void
      request.settled = new Promise<void>((resolve) => (settled = resolve))
      reply = sendPayload(config, route.send, payloadOf(route.data, code, '0'), deadline, () => settled())
    }
  } catch (error) {
    reply = Promise.reject(error)
  }
  return reply
    .then((value): PhaseResult => {
      const replyKind = config.classify(value)
      if (config.emit) config.emit({ type: 'reply', carriesCode: true, kind: replyKind })
      return { kind: 'replied', route: route === 'login' ? 'login' : 'data', replyKind, reply: value }
    })
    .catch((error: unknown): PhaseResult => ({ kind: 'lost', error }))
    .finally(() => deadline.finish())
}

/** wx.login, invoked only when no hold is left, no other wx.login awaits its callback, and the rate limit has room. */
function invokeLogin<R>(session: WxSession, config: GuardConfig<R>, current: Phase): Promise<string> {
  let deadline: Deadline
  let claimed: Promise<{ login: Promise<string> }>
  try {
    deadline = Deadline.after(config.timeout, session.timers)
  } catch (error) {
    return Promise.reject(error)
  }
  // Invoked in the very tick the slot is claimed: no hold can be taken, nor a phase seen idle, in between.
  const invoke = (ticket: number) => {
    current.invoked = true
    session.logins++
    const login = wxLogin(session.api, Math.max(1, deadline.remaining()), config.login)
    session.landWhenCalledBack(ticket, login)
    return { login }
  }
  try {
    claimed = session.claimLoginSlot(deadline, invoke)
  } catch (error) {
    claimed = Promise.reject(error)
  }
  return claimed
    .then(({ login }) =>
      deadline.race(login, 'wx.login').catch((error: unknown) => {
        // A code that arrives after we stopped waiting is never sent, yet its login may have rotated the key.
        login.then(() => (session.needsLogin = true), () => undefined)
        throw error
      }),
    )
    .then((code) => {
      if (config.emit) config.emit({ type: 'login', ok: true, logins: session.logins })
      return code
    })
    .catch((error: unknown) => {
      if (current.invoked && config.emit) config.emit({ type: 'login', ok: false, logins: session.logins })
      throw error
    })
    .finally(() => deadline.finish())
}

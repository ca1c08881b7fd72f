/**
 * The path of one piece of open data, top to bottom: the seed thread's rule made safe against every
 * other caller on the same wx.
 *
 *   deliver ── a login is in flight? ── wait for its code request, then sendValid (no login of its own)
 *      │
 *      └─ hold logins, wx.checkSession ── valid ── sendValid: flag '1' under the hold
 *                                     │              └─ key missing / stale: recover once (sendWithLogin or sendValid)
 *                                     └─ invalid ── sendWithLogin: wx.login, its code rides with the data (flag '0')
 *                                                    └─ the login failed: afterFailedPhase repairs the session, then `retry`
 */
import type { GuardConfig, Send } from '../config/config'
import type { Deadline } from '../primitives/deadline'
import type { OpenData } from '../wire/detail'
import { isGuardError } from '../errors/errors'
import { established, failure, reasonOf, startPhase, type PhaseResult } from '../wx-session/login-phase'
import type { Release } from '../primitives/login-gate'
import { failed, retry, type Outcome } from '../wire/outcome'
import { payloadOf, sendPayload } from '../wx-session/send-payload'
import type { WxSession } from '../wx-session/wx-session'

export interface Tap<R> {
  session: WxSession
  config: GuardConfig<R>
  data: OpenData
  send: Send<R>
  deadline: Deadline
}

// The valid-session path (hold → checkSession → send with flag '1' → release) runs on every tap, so
// it is written as one promise chain rather than async functions: compiled to ES5 an async function
// is a generator state machine with a promise per step, which cost more than the rest of the tap.
// Every function here calls its first step in the same tick, as an async function would.

/** Delivers `data`; `held` is a hold the caller already took (openData takes it before WeChat encrypts). */
export function deliver<R>(tap: Tap<R>, held?: Release): Promise<Outcome<R>> {
  const { session, config, deadline } = tap
  let release = held
  try {
    const phase = session.phase
    if (!release && phase && phase.invoked) {
      // Arrived while a login is in flight: its code request goes first, then this data with flag '1'.
      // Which key sealed it is unknown, so that login counts as newer than the data: no login of its own.
      const arrival = session.logins - 1
      return deadline
        .race(phase.done, 'login in flight')
        .then((result) => (established(result) ? sendValid(tap, arrival, false) : afterFailedPhase(tap, result)))
        .catch(failure)
    }
    const hold = (release = release || session.gate.hold())
    const arrival = session.logins
    // needsLogin is not consulted: the data is sealed already, and flag '1' either works or recovers.
    // A checkSession that says nothing ('unknown') is no reason to log in and rotate a valid key.
    if (session.knownValid()) {
      release = undefined
      return sendValid(tap, arrival, false, hold).catch(failure)
    }
    release = undefined
    return session
      .checkSession(deadline, config.emit)
      .then(
        (check) => {
          if (check !== 'invalid') return sendValid(tap, arrival, false, hold)
          hold()
          return sendWithLogin(tap, arrival)
        },
        (error: unknown) => {
          hold()
          throw error
        },
      )
      .catch(failure)
  } catch (error) {
    if (release) release()
    return Promise.resolve(failure(error))
  }
}

/** Sends data with flag '1' under a hold, and recovers once if the server's key turns out missing or stale. */
function sendValid<R>(tap: Tap<R>, arrival: number, recovered: boolean, held?: Release): Promise<Outcome<R>> {
  if (held) return sendHeld(tap, arrival, recovered, held)
  return tap.session.holdAfterLogin(tap.deadline).then((release) => sendHeld(tap, arrival, recovered, release))
}

function sendHeld<R>(tap: Tap<R>, arrival: number, recovered: boolean, release: Release): Promise<Outcome<R>> {
  const { session, config, deadline } = tap
  // The hold lasts until the request settles, not until we stop waiting: a request that may
  // still reach the server must not have a login rotate the key under its decrypt.
  return sendPayload(config, tap.send, payloadOf(tap.data, '', '1'), deadline, release).then(
    (reply): Outcome<R> | Promise<Outcome<R>> => {
      const kind = config.classify(reply)
      if (config.emit) config.emit({ type: 'reply', carriesCode: false, kind })
      switch (kind) {
        case 'ok':
          return { status: 'ok', reply: reply as R }
        case 'session-key-missing':
        case 'decrypt-failed':
          return recover(tap, arrival, recovered, kind === 'decrypt-failed' ? 'DECRYPT_FAILED' : 'SESSION_KEY_MISSING')
        case 'code-rejected':
          return failed('CODE_REJECTED', undefined, reply)
        default:
          return failed('SERVER', undefined, reply)
      }
    },
    (error: unknown) => {
      // The server refused the app's token (the token is dropped already) and looked at nothing: like a missing key.
      if (isGuardError(error, 'SESSION_EXPIRED')) return recover(tap, arrival, recovered, 'SESSION_KEY_MISSING')
      // We stopped waiting; the request may still be out. One more timeout, on a real timer, is its hard cap.
      if (isGuardError(error, 'TIMEOUT')) session.timers.after(config.timeout, release)
      return failure(error)
    },
  )
}

/**
 * One recovery. With no login since the data arrived, the key that sealed it is the one a fresh
 * code yields (unless WeChat rotates it): send the data with one. After a newer login, a new code
 * cannot help; the server may already hold the sealing key, so the data goes once more with flag '1'.
 */
function recover<R>(tap: Tap<R>, arrival: number, recovered: boolean, reason: 'DECRYPT_FAILED' | 'SESSION_KEY_MISSING'): Promise<Outcome<R>> {
  if (recovered) return Promise.resolve(retry(reason))
  return tap.session.logins === arrival ? sendWithLogin(tap, arrival) : sendValid(tap, arrival, true)
}

/** Sends data with a fresh login code (flag '0'), or after someone else's login when one is already under way. */
function sendWithLogin<R>(tap: Tap<R>, arrival: number): Promise<Outcome<R>> {
  const { current, own } = startPhase(tap.session, tap.config, { data: tap.data, send: tap.send })
  return tap.deadline.race(current.done, 'login').then((result) => {
    // Someone else's code went first: this data follows with flag '1', and gets no login of its own.
    if (!own) return established(result) ? sendValid(tap, arrival, true) : afterFailedPhase(tap, result)
    if (result.kind === 'replied' && result.replyKind === 'ok') return { status: 'ok', reply: result.reply as R }
    // The server holds the new key now; the data was sealed with an older one.
    if (established(result)) return retry<R>('DECRYPT_FAILED')
    return afterFailedPhase(tap, result)
  })
}

/** Why a login phase left the server without a fresh key. */
export function phaseFailure(result: PhaseResult): { reason: 'LOGIN_FAILED' | 'TIMEOUT' | 'NETWORK' | 'CODE_REJECTED' | 'SERVER'; error?: unknown } {
  if (result.kind !== 'replied') return { reason: reasonOf(result.error), error: result.error }
  return { reason: result.replyKind === 'code-rejected' ? 'CODE_REJECTED' : 'SERVER' }
}

/**
 * A login phase that carried or preceded this data failed. Where the server may now lack the
 * current key, repair the session through the login route first, so the user's next tap works.
 */
export function afterFailedPhase<R>(tap: Pick<Tap<R>, 'session' | 'config' | 'deadline'>, result: PhaseResult): Promise<Outcome<R>> {
  const { reason, error } = phaseFailure(result)
  // A wx.login that timed out used up the deadline; anything else leaves time to repair.
  const repairable = !(reason === 'TIMEOUT' && result.kind === 'no-login')
  return (repairable ? reestablish(tap) : Promise.resolve(false)).then((repaired) =>
    repaired ? retry<R>(reason) : failed<R>(reason, error, result.kind === 'replied' ? result.reply : undefined),
  )
}

/** Logs in again through the login route, so the next tap works. Resolves whether it did. */
function reestablish<R>(tap: Pick<Tap<R>, 'session' | 'config' | 'deadline'>): Promise<boolean> {
  if (!tap.config.sendLogin) return Promise.resolve(false)
  try {
    return tap.deadline.race(startPhase(tap.session, tap.config, 'login').current.done, 'session repair').then(established, () => false)
  } catch {
    return Promise.resolve(false)
  }
}

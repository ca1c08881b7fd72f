import type { GuardConfig, Send } from '../config/config'
import type { Deadline } from '../primitives/deadline'
import { afterFailedPhase } from './deliver'
import { isGuardError } from '../errors/errors'
import type { PhoneCodeData } from '../wire/detail'
import { failure, startPhase } from '../wx-session/login-phase'
import { failed, type Outcome } from '../wire/outcome'
import type { ReplyKind } from '../wire/protocol'
import { payloadOf, sendPayload } from '../wx-session/send-payload'
import type { WxSession } from '../wx-session/wx-session'

export interface PhoneCodeTap<R> {
  session: WxSession
  config: GuardConfig<R>
  data: PhoneCodeData
  send: Send<R>
  deadline: Deadline
}

/** The server refused the app's token (HTTP 401): the token is dropped already, and nothing was redeemed. */
const REFUSED = {}

function settled<R>(kind: ReplyKind, reply: unknown): Outcome<R> {
  return kind === 'ok' ? { status: 'ok', reply: reply as R } : failed('SERVER', undefined, reply)
}

/**
 * A phone code or cloudID with nothing sealed: no session_key is involved, so there is no
 * checkSession, no hold and no ordering against logins. Whenever the server knows the user it goes
 * with flag '1' at once: with the app's session token, or, on a server without tokens (or
 * `session: false`), once a login established the session in this run. Otherwise (or when the
 * server no longer knows the user) it goes with a fresh login code and flag '0', so the server knows
 * whose number it is: a login is harmless here. That login is the shared one, so it still waits for
 * other taps' decrypts and the rate budget; a token another caller's login brought meanwhile is used instead.
 */
export function deliverPhoneCode<R>(tap: PhoneCodeTap<R>): Promise<Outcome<R>> {
  // Promise code rather than an async function (see deliver.ts): the loop is a chain of rounds.
  try {
    return round(tap, null).catch((error: unknown) => failure(error))
  } catch (error) {
    return Promise.resolve(failure(error))
  }
}

/** One round; `tried` is the token last tried with flag '1' (null: none yet): each token is tried once. */
function round<R>(tap: PhoneCodeTap<R>, tried: string | undefined | null): Promise<Outcome<R>> {
  const { session, config, deadline } = tap
  const { app } = config
  const token = app.token()
  if (token === tried || !(token || (!app.missing() && session.established && !session.needsLogin))) return withLogin(tap, tried)
  return sendPayload(config, tap.send, payloadOf(tap.data, '', '1'), deadline)
    .catch((error: unknown) => {
      if (isGuardError(error, 'SESSION_EXPIRED')) return REFUSED
      throw error
    })
    .then((reply) => {
      const kind = reply === REFUSED ? 'session-key-missing' : config.classify(reply)
      if (config.emit && reply !== REFUSED) config.emit({ type: 'reply', carriesCode: false, kind })
      // The server no longer knows or accepts the token: it redeemed nothing, so a login code in this same tap serves.
      return kind !== 'session-key-missing' ? settled<R>(kind, reply) : withLogin(tap, token)
    })
}

function withLogin<R>(tap: PhoneCodeTap<R>, tried: string | undefined | null): Promise<Outcome<R>> {
  const { current, own } = startPhase(tap.session, tap.config, { data: tap.data, send: tap.send })
  if (!own) {
    // Someone else's login took that code: wait until its phase is over (its reply may bring a
    // token), then go again. The phase outlives its answer while its request may still land, so
    // waiting for the answer alone would spin; each round waits for one phase, the deadline bounds all.
    return tap.deadline.race(current.settled, 'login in flight').then(() => round(tap, tried))
  }
  return tap.deadline.race(current.done, 'login').then((result): Outcome<R> | Promise<Outcome<R>> =>
    result.kind === 'replied' && result.replyKind === 'ok'
      ? { status: 'ok', reply: result.reply as R }
      : // Any other answer does not prove the server stored the login code's key: repair, then `retry`.
        afterFailedPhase(tap, result),
  )
}

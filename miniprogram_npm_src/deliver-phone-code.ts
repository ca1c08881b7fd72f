import type { PhoneCodeData } from './detail'
import type { PhaseResult, Send } from './login-phase'
import { reasonOf } from './login-phase'
import type { Outcome } from './outcome'
import type { OpenDataPayload, ReplyKind } from './protocol'

/** What the code-only path needs from the guard. */
export interface PhoneCodeDeps<R> {
  /** Does the app hold a session token the server identifies the user by? */
  hasToken(): boolean
  /** Sends one payload (diagnostics included); rejects when the request failed or the deadline passed. */
  sendPayload(send: Send<R>, payload: OpenDataPayload, deadline: number): Promise<unknown>
  classify(reply: unknown): ReplyKind
  /** Starts the single-flight login phase whose code travels with this data, or joins the one under way. */
  loginWith(data: PhoneCodeData, send: Send<R>, deadline: number): { own: boolean; done: Promise<PhaseResult> }
  /** Waits for a promise, at most until the deadline. */
  within<T>(promise: Promise<T>, deadline: number): Promise<T>
  /** The guard's answer to a login phase that left the server without a fresh key. */
  afterFailedPhase(result: PhaseResult, deadline: number): Promise<Outcome<R>>
}

function settled<R>(kind: ReplyKind, reply: unknown): Outcome<R> {
  return kind === 'ok' ? { status: 'ok', reply: reply as R } : { status: 'failed', reason: 'SERVER', reply: reply as R }
}

/**
 * A phone code or cloudID with nothing sealed: no session_key is involved, so there is no
 * checkSession, no hold and no ordering against logins. With the app's session token it goes with
 * flag '1' at once; without one (or when the server no longer knows the token) it goes with a fresh
 * login code and flag '0' so the server knows whose number it is; a login is harmless here.
 */
export async function deliverPhoneCode<R>(deps: PhoneCodeDeps<R>, data: PhoneCodeData, send: Send<R>, deadline: number): Promise<Outcome<R>> {
  let triedToken = false
  try {
    for (;;) {
      if (!triedToken && deps.hasToken()) {
        triedToken = true
        const reply = await deps.sendPayload(send, { ...data, code: '', sessionKeyValidFlag: '1' }, deadline)
        const kind = deps.classify(reply)
        // The server no longer knows the token: it redeemed nothing, so a login code in this same tap serves.
        if (kind !== 'session-key-missing') return settled(kind, reply)
      }
      const { own, done } = deps.loginWith(data, send, deadline)
      const result = await deps.within(done, deadline)
      // Someone else's login took that code: wait for it (it may bring a token), then go again. Each
      // round waits for one login to settle, and the deadline bounds them all.
      if (!own) continue
      if (result.kind !== 'replied' || result.replyKind === 'code-rejected' || result.replyKind === 'session-key-missing') {
        return await deps.afterFailedPhase(result, deadline)
      }
      return settled(result.replyKind, result.reply)
    }
  } catch (error) {
    return { status: 'failed', reason: reasonOf(error), error }
  }
}

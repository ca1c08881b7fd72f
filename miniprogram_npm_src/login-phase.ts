import type { OpenData } from './detail'
import { isGuardError } from './errors'
import type { WirePayload } from './guard-api'
import type { ReplyKind } from './protocol'

/** How a payload reaches the developer's server. */
export type Send<R> = (payload: WirePayload) => Promise<R>
/** Where a phase's code goes: with a tap's data, or to the login route. */
export type Route<R> = { data: OpenData; send: Send<R> } | 'login'

export type PhaseResult =
  | { kind: 'no-login'; error: unknown }
  | { kind: 'replied'; replyKind: ReplyKind; reply: unknown }
  | { kind: 'lost'; error: unknown }

/**
 * A login phase: one wx.login and the one request that carries its code, either with a tap's
 * data (flag '0') or to the login route. Shared by everyone who needs a login meanwhile.
 */
export interface Phase {
  invoked: boolean
  done: Promise<PhaseResult>
}

/** The server holds the key of this phase's code. */
export function established(result: PhaseResult): boolean {
  return result.kind === 'replied' && result.replyKind !== 'session-key-missing' && result.replyKind !== 'code-rejected'
}

/** The reason a thrown error stands for: the guard's own TIMEOUT and LOGIN_FAILED, or a failed request. */
export function reasonOf(error: unknown): 'TIMEOUT' | 'LOGIN_FAILED' | 'NETWORK' {
  return isGuardError(error, 'TIMEOUT') || isGuardError(error, 'LOGIN_FAILED') ? (error.code as 'TIMEOUT' | 'LOGIN_FAILED') : 'NETWORK'
}

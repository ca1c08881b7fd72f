import type { ReplyKind } from '../wire/protocol'

export type PhaseResult =
  | { kind: 'no-login'; error: unknown }
  | { kind: 'replied'; route: 'login' | 'data'; replyKind: ReplyKind; reply: unknown }
  | { kind: 'lost'; error: unknown }

/**
 * A login phase: one wx.login and the one request that carries its code, either with a tap's
 * data (flag '0') or to the login route. Shared by everyone who needs a login meanwhile.
 */
export interface Phase {
  invoked: boolean
  /** What the phase achieved, as soon as its caller's wait is over. */
  done: Promise<PhaseResult>
  /** When its code request has really settled (or its hard cap passed): only then may data go with flag '1'. */
  settled: Promise<void>
}

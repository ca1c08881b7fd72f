/** What a call ends with. Expected failures resolve; the promise never rejects for them. */

export type RetryReason = 'SESSION_KEY_MISSING' | 'DECRYPT_FAILED' | 'CODE_REJECTED' | 'LOGIN_FAILED' | 'NETWORK' | 'TIMEOUT' | 'SERVER'

export type FailureReason =
  | 'NO_QUOTA'
  /** errno 112: the app's privacy declaration lacks the phone-number scope (fix the declaration in the admin console). */
  | 'PRIVACY_NOT_DECLARED'
  | 'INVALID_DETAIL'
  | 'INVALID_ARGUMENT'
  | 'WX_FAIL'
  | 'FETCH_FAILED'
  | 'LOGIN_FAILED'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'CODE_REJECTED'
  | 'SERVER'

export type Outcome<R = unknown> =
  | { status: 'ok'; reply: R }
  /** The user refused (errno 104: declined the privacy agreement); nothing was sent. */
  | { status: 'denied'; errMsg: string; errno?: number }
  /** The session is fresh now: ask the user to tap again, and that tap goes through. */
  | { status: 'retry'; reason: RetryReason }
  /** `errno` is WeChat's, when the failure came from WeChat and it gave one. */
  | { status: 'failed'; reason: FailureReason; error?: unknown; reply?: R; errno?: number }

export type PrepareOutcome =
  | { status: 'ok'; loggedIn: boolean }
  | {
      status: 'failed'
      reason: 'LOGIN_FAILED' | 'NETWORK' | 'TIMEOUT' | 'CODE_REJECTED' | 'SERVER' | 'NO_LOGIN_ROUTE'
      error?: unknown
    }

/** WeChat's errno in a fail result ({ errMsg, errno }), whether thrown as it is or kept as a guard error's cause. */
function wechatErrno(error: unknown): number | undefined {
  for (const candidate of [error, error && (error as { cause?: unknown }).cause]) {
    const { errMsg, errno } = (candidate || {}) as { errMsg?: unknown; errno?: unknown }
    if (typeof errMsg === 'string' && typeof errno === 'number' && errno !== 0) return errno
  }
  return undefined
}

export function failed<R>(reason: FailureReason, error?: unknown, reply?: unknown): Outcome<R> {
  const outcome: Outcome<R> = { status: 'failed', reason }
  if (error !== undefined) outcome.error = error
  if (reply !== undefined) outcome.reply = reply as R
  const errno = wechatErrno(error)
  if (errno !== undefined) outcome.errno = errno
  return outcome
}

export const retry = <R>(reason: RetryReason): Outcome<R> => ({ status: 'retry', reason })

/** What guard.login() ends with: the server confirmed the new code, or why not. */
export type LoginOutcome = { status: 'ok'; loggedIn: true } | Extract<PrepareOutcome, { status: 'failed' }>

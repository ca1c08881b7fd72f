/** Every error the guard creates carries a `code` callers can switch on. */
export type SessionGuardErrorCode =
  | 'CONFIG'
  | 'TIMEOUT'
  | 'INVALID_DETAIL'
  | 'INVALID_ARGUMENT'
  | 'LOGIN_FAILED'
  | 'NETWORK'
  /** The server refused the app's session token on the data route (HTTP 401, or what `session.isExpired` says). */
  | 'SESSION_EXPIRED'

export class SessionGuardError extends Error {
  readonly code: SessionGuardErrorCode
  readonly cause?: unknown
  /** The message again, where wx's own failures keep theirs: code that reads `err.errMsg` works for both. */
  readonly errMsg: string

  constructor(code: SessionGuardErrorCode, message: string, cause?: unknown) {
    super(message)
    this.name = 'SessionGuardError'
    this.code = code
    this.errMsg = message
    if (cause !== undefined) this.cause = cause
  }
}

export function isGuardError(error: unknown, code?: SessionGuardErrorCode): error is SessionGuardError {
  return error instanceof SessionGuardError && (code === undefined || error.code === code)
}

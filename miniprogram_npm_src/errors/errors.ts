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

export interface SessionGuardError extends Error {
  readonly code: SessionGuardErrorCode
  readonly cause?: unknown
  /** The message again, where wx's own failures keep theirs: code that reads `err.errMsg` works for both. */
  readonly errMsg: string
}

export interface SessionGuardErrorConstructor {
  new (code: SessionGuardErrorCode, message: string, cause?: unknown): SessionGuardError
  readonly prototype: SessionGuardError
}

type Fields = { -readonly [K in keyof SessionGuardError]: SessionGuardError[K] }

// An ES5 constructor rather than `class … extends Error`: ES5 cannot subclass a built-in, and the
// wrapper a compiler adds for it (Reflect.construct, a Map of wrapped classes) would ship with the guard.
export const SessionGuardError = function SessionGuardError(this: Fields, code: SessionGuardErrorCode, message: string, cause?: unknown) {
  this.name = 'SessionGuardError'
  this.message = message
  this.code = code
  this.errMsg = message
  if (cause !== undefined) this.cause = cause
  const { stack } = new Error(message)
  if (stack !== undefined) this.stack = stack
} as unknown as SessionGuardErrorConstructor

;(SessionGuardError as { prototype: object }).prototype = Object.create(Error.prototype, {
  constructor: { value: SessionGuardError, writable: true, configurable: true },
})

/**
 * By shape, not by constructor: an error may come from another copy of the package on the device
 * (they share one login), whose SessionGuardError is another function.
 */
export function isGuardError(error: unknown, code?: SessionGuardErrorCode): error is SessionGuardError {
  const e = error as SessionGuardError | null | undefined
  return !!e && e.name === 'SessionGuardError' && typeof e.code === 'string' && (code === undefined || e.code === code)
}

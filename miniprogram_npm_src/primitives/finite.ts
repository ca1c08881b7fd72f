import { SessionGuardError, type SessionGuardErrorCode } from '../errors/errors'

/** setTimeout takes a signed 32-bit delay; past it, engines fire at once. */
export const MAX_TIMER_MS = 2147483647

/** A number that is a number: not NaN, not ±Infinity, not a numeric string. */
export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && value - value === 0

/** `value` unchanged if it is a finite number from `min` to `max`; a typed error otherwise, never a coercion. */
export function finite(value: unknown, name: string, min = -Infinity, max = Infinity, code: SessionGuardErrorCode = 'INVALID_ARGUMENT'): number {
  if (!isFiniteNumber(value) || value < min || value > max) throw new SessionGuardError(code, name + ' must be a number from ' + min + ' to ' + max)
  return value
}

/** A bound in ms a caller may pass (1 to 2^31-1), or `fallback` when absent. */
export function positiveMs(value: unknown, fallback: number, name: string, code?: SessionGuardErrorCode): number {
  return value === undefined ? fallback : finite(value, name, 1, MAX_TIMER_MS, code)
}

import { configError } from './errors'

/** Numeric options are checked when the object is made: 0, NaN, -1, Infinity or 1.5 ms fail loudly, not later. */
export function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw configError(`${name} must be a positive integer`)
  return value
}

export function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw configError(`${name} must be a non-negative integer`)
  return value
}

export function positiveFinite(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw configError(`${name} must be a positive finite number`)
  return value
}

/** setTimeout takes a signed 32-bit delay: past it Node fires at once (and warns), so a longer bound is no bound. */
export const MAX_TIMER_MS = 2_147_483_647

/** A bound in ms a timer can keep: a positive integer up to 2^31-1. */
export function timerMs(name: string, value: number | undefined, fallback: number): number {
  const ms = positiveInteger(name, value, fallback)
  if (ms > MAX_TIMER_MS) throw configError(`${name} must be at most ${MAX_TIMER_MS} ms (a timer cannot wait longer)`)
  return ms
}

export function integerUpTo(name: string, value: number | undefined, fallback: number, max: number): number {
  const n = positiveInteger(name, value, fallback)
  if (n > max) throw configError(`${name} must be at most ${max}`)
  return n
}

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

/**
 * The owners of shared state defend it themselves, whatever their callers checked: the guard's clock
 * stays a finite number, and the timer queue, deadlines, rate limiter and login gate refuse a time or
 * delay that is not one, leaving their state as it was.
 */
import { isGuardError } from '../../miniprogram_npm_src'
import { monotonic, type Clock } from '../../miniprogram_npm_src/primitives/clock'
import { Deadline } from '../../miniprogram_npm_src/primitives/deadline'
import { LoginGate } from '../../miniprogram_npm_src/primitives/login-gate'
import { RateLimiter } from '../../miniprogram_npm_src/primitives/rate-limiter'
import { TIMER_STEP_MS, TimerQueue } from '../../miniprogram_npm_src/primitives/timer-queue'
import { VirtualClock } from '../../simulator/model/virtual-clock'

const NOT_NUMBERS: unknown[] = ['3000', NaN, Infinity, -Infinity, null, undefined, {}]

function refuses(fn: () => unknown): boolean {
  try {
    fn()
  } catch (error) {
    return isGuardError(error, 'INVALID_ARGUMENT')
  }
  return false
}

describe('the monotonic clock', () => {
  it.each(NOT_NUMBERS)('ignores advanceTo(%p): it stays a number', (at) => {
    const virtual = new VirtualClock()
    const clock = monotonic(virtual)
    virtual.suspend(1000)
    ;(clock.advanceTo as (at: unknown) => void)(at)
    expect(clock.now()).toBe(1000)
    virtual.suspend(5)
    expect(clock.now()).toBe(1005)
  })

  it.each(NOT_NUMBERS)('reads a source that answers %p as no time passing', (reading) => {
    let raw: unknown = 50
    const source: Clock = { now: () => raw as number, setTimeout: () => 0, clearTimeout: () => undefined }
    const clock = monotonic(source)
    raw = reading
    expect(clock.now()).toBe(50)
    raw = 80
    expect(clock.now()).toBe(80)
  })
})

describe('the timer queue, deadlines, the rate limiter and the login gate', () => {
  it.each(NOT_NUMBERS)('refuse %p as a time or a delay, and keep nothing of it', (value) => {
    const clock = new VirtualClock()
    const timers = new TimerQueue(clock)
    expect(refuses(() => timers.at(value as number, () => undefined))).toBe(true)
    expect(refuses(() => timers.after(value as number, () => undefined))).toBe(true)
    expect(refuses(() => Deadline.after(value as number, timers))).toBe(true)
    const gate = new LoginGate(timers)
    expect(refuses(() => gate.hold(value === undefined ? NaN : (value as number)))).toBe(true)
    expect(gate.holds).toBe(0)
    expect(timers.size()).toBe(0)
    expect(clock.pending).toBe(0)
  })

  it.each(NOT_NUMBERS)('the rate limiter, full, answers a deadline at %p (its only input from callers) with a typed error, and then works as before', async (at) => {
    const clock = new VirtualClock()
    const timers = new TimerQueue(clock)
    const limiter = new RateLimiter(1, 1000, timers)
    expect(limiter.tryClaim()).toBe(true)
    const error = await limiter.whenFree(new Deadline(at as number, timers)).catch((e: unknown) => e)
    // No finite time: refused; one in the past (-Infinity, or null read as 0 by a comparison): TIMEOUT at once.
    expect(isGuardError(error, 'INVALID_ARGUMENT') || isGuardError(error, 'TIMEOUT')).toBe(true)
    expect(limiter.waiting()).toBe(0)
    while (clock.runNext());
    expect(limiter.tryClaim()).toBe(true)
  })

  it('arm a time further off in steps of TIMER_STEP_MS, never a delay past 2^31-1 ms (which engines fire at once), and fire it on time', () => {
    const clock = new VirtualClock()
    const timers = new TimerQueue(clock)
    const delays: number[] = []
    const setTimeout = clock.setTimeout.bind(clock)
    clock.setTimeout = (fn: () => void, ms: number) => (delays.push(ms), setTimeout(fn, ms))
    timers.at(2 ** 31 + 5000, () => undefined)
    expect(delays).toEqual([TIMER_STEP_MS])
    let fired = false
    const later = new VirtualClock()
    new TimerQueue(later).at(3 * TIMER_STEP_MS + 5, () => (fired = true))
    const stepsAt: number[] = []
    while (!fired && later.runNext()) stepsAt.push(later.now())
    expect(stepsAt).toEqual([TIMER_STEP_MS, 2 * TIMER_STEP_MS, 3 * TIMER_STEP_MS, 3 * TIMER_STEP_MS + 5])
  })
})

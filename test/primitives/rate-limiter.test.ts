import fc from 'fast-check'
import { Deadline } from '../../miniprogram_npm_src/primitives/deadline'
import { RateLimiter } from '../../miniprogram_npm_src/primitives/rate-limiter'
import { TimerQueue } from '../../miniprogram_npm_src/primitives/timer-queue'
import { monotonic } from '../../miniprogram_npm_src/primitives/clock'
import { isGuardError } from '../../miniprogram_npm_src/errors/errors'
import { VirtualClock } from '../../simulator/model/virtual-clock'
import { runToQuiet } from '../../simulator/world/world'

describe('RateLimiter', () => {
  it('never lets more than `limit` calls into any window, whatever the arrival times', () =>
    fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 40 }), async (arrivals) => {
        const clock = new VirtualClock()
        const limiter = new RateLimiter(4, 1000, new TimerQueue(clock))
        const calls: number[] = []
        const runs: Promise<unknown>[] = []
        for (const at of arrivals) {
          clock.setTimeout(() => {
            // Finished once the call is made, as the guard finishes every call's deadline.
            const deadline = new Deadline(1e9, new TimerQueue(clock))
            runs.push(limiter.run(() => calls.push(clock.now()), deadline).finally(() => deadline.finish()))
          }, at)
        }
        await runToQuiet(clock)
        await Promise.all(runs)
        expect(calls).toHaveLength(arrivals.length)
        for (const t of calls) expect(calls.filter((c) => c > t - 1000 && c <= t).length).toBeLessThanOrEqual(4)
      }),
      { numRuns: 300 },
    ))

  it('fails at once with TIMEOUT when no slot frees before the deadline, and the call is not made', async () => {
    const clock = new VirtualClock()
    const limiter = new RateLimiter(1, 1000, new TimerQueue(clock))
    await limiter.run(() => undefined, new Deadline(0, new TimerQueue(clock)))
    let made = false
    const late = limiter.run(() => (made = true), new Deadline(999, new TimerQueue(clock)))
    expect(isGuardError(await late.catch((e: unknown) => e), 'TIMEOUT')).toBe(true)
    expect(made).toBe(false)
    expect(clock.pending).toBe(1) // the first call's window, and nothing for the refused one
  })

  it('tryClaim refuses when the window is full and accepts once the oldest call leaves it', () => {
    const clock = new VirtualClock()
    const limiter = new RateLimiter(2, 1000, new TimerQueue(clock))
    expect([limiter.tryClaim(), limiter.tryClaim(), limiter.tryClaim()]).toEqual([true, true, false])
    expect(limiter.delayBeforeNextCall(clock.now())).toBe(1000)
    clock.setTimeout(() => undefined, 1000)
    clock.runNext()
    expect(limiter.tryClaim()).toBe(true)
  })

  it('frees a slot only when its window has really passed: a clock leaping an hour ahead frees none', async () => {
    const clock = new VirtualClock()
    const timers = new TimerQueue(monotonic(clock.device))
    const limiter = new RateLimiter(4, 1000, timers)
    expect([1, 2, 3, 4].map(() => limiter.tryClaim())).toEqual([true, true, true, true])
    clock.stepWall(3600000)
    expect(limiter.tryClaim()).toBe(false)
    clock.setTimeout(() => undefined, 1000)
    while (clock.runNext());
    expect(limiter.tryClaim()).toBe(true)
  })
})

import { Deadline } from '../../miniprogram_npm_src/primitives/deadline'
import { isGuardError } from '../../miniprogram_npm_src/errors/errors'
import { TIMER_STEP_MS, TimerQueue } from '../../miniprogram_npm_src/primitives/timer-queue'
import { VirtualClock } from '../../simulator/model/virtual-clock'

function setup() {
  const clock = new VirtualClock()
  return { clock, timers: new TimerQueue(clock) }
}

/** What is left once the call is over: no entry, and a real timer that fires within TIMER_STEP_MS arming nothing. */
function expectQuietWithinAStep(clock: VirtualClock, timers: TimerQueue) {
  const from = clock.now()
  expect(timers.size()).toBe(0)
  while (clock.runNext());
  expect(clock.now() - from).toBeLessThanOrEqual(TIMER_STEP_MS)
  expect(clock.pending).toBe(0)
}

describe('Deadline', () => {
  it('passes the value through, and finish() leaves no entry (the timer goes within a step)', async () => {
    const { clock, timers } = setup()
    const deadline = new Deadline(5000, timers)
    expect(await deadline.race(Promise.resolve(3), 'x')).toBe(3)
    deadline.finish()
    expectQuietWithinAStep(clock, timers)
  })

  it('passes a rejection through', async () => {
    const { clock, timers } = setup()
    const deadline = new Deadline(100, timers)
    await expect(deadline.race(Promise.reject(new Error('no')), 'x')).rejects.toThrow('no')
    deadline.finish()
    expectQuietWithinAStep(clock, timers)
  })

  it('rejects every step still racing with TIMEOUT at the deadline, naming the step', async () => {
    const { clock, timers } = setup()
    const deadline = new Deadline(100, timers)
    const a = deadline.race(new Promise(() => undefined), 'the request').catch((e: unknown) => e)
    const b = deadline.race(new Promise(() => undefined), 'wx.login').catch((e: unknown) => e)
    clock.runNext()
    const [ea, eb] = await Promise.all([a, b])
    expect(isGuardError(ea, 'TIMEOUT') && isGuardError(eb, 'TIMEOUT')).toBe(true)
    expect([(ea as Error).message, (eb as Error).message]).toEqual(['the request timed out', 'wx.login timed out'])
    expect(clock.now()).toBe(100)
  })

  it('rejects at once when the deadline has passed', async () => {
    const { clock, timers } = setup()
    await expect(new Deadline(0, timers).race(Promise.resolve(1), 'x')).rejects.toMatchObject({ code: 'TIMEOUT' })
    expect(clock.pending).toBe(0)
  })

  it('arms one timer however many steps race it', async () => {
    const { clock, timers } = setup()
    const deadline = new Deadline(100, timers)
    for (let i = 0; i < 10; i++) await deadline.race(Promise.resolve(i), 'step')
    void deadline.race(new Promise(() => undefined), 'last step').catch(() => undefined)
    expect(clock.pending).toBe(1)
    deadline.finish()
    expectQuietWithinAStep(clock, timers)
  })

  it('a burst of calls, each with its own deadline raced and finished, arms one real timer', async () => {
    const { clock, timers } = setup()
    let armed = 0
    const setTimeout = clock.setTimeout.bind(clock)
    clock.setTimeout = (fn: () => void, ms: number) => (armed++, setTimeout(fn, ms))
    for (let call = 0; call < 100; call++) {
      const deadline = Deadline.after(10000, timers)
      await deadline.race(Promise.resolve(call), 'request')
      deadline.finish()
    }
    expect(armed).toBe(1)
    expectQuietWithinAStep(clock, timers)
  })
})

describe('TimerQueue', () => {
  it('runs entries in time order on one real timer, and arms nothing once none is left', () => {
    const { clock, timers } = setup()
    const ran: number[] = []
    timers.at(300, () => ran.push(300))
    timers.at(100, () => ran.push(100))
    const cancel = timers.at(200, () => ran.push(200))
    expect(clock.pending).toBe(1)
    cancel()
    while (clock.runNext());
    expect(ran).toEqual([100, 300])
    expect(clock.pending).toBe(0)
    expect(timers.size()).toBe(0)
  })
})

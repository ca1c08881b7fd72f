import { Deadline } from '../../miniprogram_npm_src/primitives/deadline'
import { isGuardError } from '../../miniprogram_npm_src/errors/errors'
import { TimerQueue } from '../../miniprogram_npm_src/primitives/timer-queue'
import { VirtualClock } from '../../simulator/model/virtual-clock'

function setup() {
  const clock = new VirtualClock()
  return { clock, timers: new TimerQueue(clock) }
}

describe('Deadline', () => {
  it('passes the value through, and finish() leaves no timer', async () => {
    const { clock, timers } = setup()
    const deadline = new Deadline(100, timers)
    expect(await deadline.race(Promise.resolve(3), 'x')).toBe(3)
    deadline.finish()
    expect(clock.pending).toBe(0)
  })

  it('passes a rejection through', async () => {
    const { clock, timers } = setup()
    const deadline = new Deadline(100, timers)
    await expect(deadline.race(Promise.reject(new Error('no')), 'x')).rejects.toThrow('no')
    deadline.finish()
    expect(clock.pending).toBe(0)
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
    expect(clock.pending).toBe(0)
  })
})

describe('TimerQueue', () => {
  it('runs entries in time order on one real timer, and disarms when none is left', () => {
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

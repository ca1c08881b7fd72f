import { Deadline } from '../../miniprogram_npm_src/primitives/deadline'
import { LoginGate } from '../../miniprogram_npm_src/primitives/login-gate'
import { TimerQueue } from '../../miniprogram_npm_src/primitives/timer-queue'
import { isGuardError } from '../../miniprogram_npm_src/errors/errors'
import { VirtualClock } from '../../simulator/model/virtual-clock'
import { runToQuiet } from '../../simulator/world/world'

const timers = (clock: VirtualClock) => new TimerQueue(clock)

describe('LoginGate', () => {
  it('whenClear resolves at once with no hold, and only after the last hold is released otherwise', async () => {
    const clock = new VirtualClock()
    const gate = new LoginGate(new TimerQueue(clock))
    await gate.whenClear(new Deadline(100, timers(clock)))
    const a = gate.hold(10000)
    const b = gate.hold(10000)
    let clear = false
    const deadline = new Deadline(10000, timers(clock))
    const waiting = gate.whenClear(deadline).then(() => (clear = true))
    a()
    a() // releasing twice counts once
    await Promise.resolve()
    expect(clear).toBe(false)
    b()
    await waiting
    expect(clear).toBe(true)
    deadline.finish()
    // The hold caps are gone; the deadline's queue timer goes within a step and arms nothing.
    expect(clock.pending).toBe(1)
    clock.runNext()
    expect(clock.pending).toBe(0)
  })

  it('releases a forgotten hold after its bound', async () => {
    const clock = new VirtualClock()
    const gate = new LoginGate(new TimerQueue(clock))
    gate.hold(300)
    const clearAt = gate.whenClear(new Deadline(10000, timers(clock))).then(() => clock.now())
    await runToQuiet(clock)
    expect(await clearAt).toBe(300)
    expect(gate.holds).toBe(0)
  })

  it('whenClear rejects with TIMEOUT at its deadline and forgets the waiter', async () => {
    const clock = new VirtualClock()
    const gate = new LoginGate(new TimerQueue(clock))
    const release = gate.hold(10000)
    const waiting = gate.whenClear(new Deadline(200, timers(clock)))
    const settled = waiting.catch((e: unknown) => e)
    await runToQuiet(clock).catch(() => undefined)
    expect(isGuardError(await settled, 'TIMEOUT')).toBe(true)
    expect(gate.waiting()).toBe(0)
    release()
  })
})

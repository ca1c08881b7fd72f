import { LoginGate } from '../../miniprogram_npm_src/login-gate'
import { isGuardError } from '../../miniprogram_npm_src/errors'
import { VirtualClock } from '../../simulator/virtual-clock'
import { runToQuiet } from '../../simulator/world'

describe('LoginGate', () => {
  it('whenClear resolves at once with no hold, and only after the last hold is released otherwise', async () => {
    const clock = new VirtualClock()
    const gate = new LoginGate(clock)
    await gate.whenClear(100)
    const a = gate.hold(10000)
    const b = gate.hold(10000)
    let clear = false
    const waiting = gate.whenClear(10000).then(() => (clear = true))
    a()
    a() // releasing twice counts once
    await Promise.resolve()
    expect(clear).toBe(false)
    b()
    await waiting
    expect(clear).toBe(true)
    expect(clock.pending).toBe(0)
  })

  it('releases a forgotten hold after its bound', async () => {
    const clock = new VirtualClock()
    const gate = new LoginGate(clock)
    gate.hold(300)
    const waiting = gate.whenClear(10000)
    await runToQuiet(clock)
    await waiting
    expect(clock.now()).toBe(300)
    expect(gate.holds).toBe(0)
  })

  it('whenClear rejects with TIMEOUT at its deadline and forgets the waiter', async () => {
    const clock = new VirtualClock()
    const gate = new LoginGate(clock)
    const release = gate.hold(10000)
    const waiting = gate.whenClear(200)
    const settled = waiting.catch((e: unknown) => e)
    await runToQuiet(clock).catch(() => undefined)
    expect(isGuardError(await settled, 'TIMEOUT')).toBe(true)
    expect(gate.waiting).toBe(0)
    release()
  })
})

import { withDeadline } from '../../miniprogram_npm_src/with-timeout'
import { isGuardError } from '../../miniprogram_npm_src/errors'
import { VirtualClock } from '../../simulator/virtual-clock'

describe('withDeadline', () => {
  it('passes the value through and clears its timer', async () => {
    const clock = new VirtualClock()
    expect(await withDeadline(Promise.resolve(3), 100, clock, 'x')).toBe(3)
    expect(clock.pending).toBe(0)
  })

  it('passes a rejection through and clears its timer', async () => {
    const clock = new VirtualClock()
    await expect(withDeadline(Promise.reject(new Error('no')), 100, clock, 'x')).rejects.toThrow('no')
    expect(clock.pending).toBe(0)
  })

  it('rejects with TIMEOUT at the deadline', async () => {
    const clock = new VirtualClock()
    const bounded = withDeadline(new Promise(() => undefined), 100, clock, 'the request')
    clock.runNext()
    const error = await bounded.catch((e: unknown) => e)
    expect(isGuardError(error, 'TIMEOUT')).toBe(true)
    expect(clock.now()).toBe(100)
  })

  it('rejects at once when the deadline has passed', async () => {
    const clock = new VirtualClock()
    await expect(withDeadline(Promise.resolve(1), 0, clock, 'x')).rejects.toMatchObject({ code: 'TIMEOUT' })
    expect(clock.pending).toBe(0)
  })
})

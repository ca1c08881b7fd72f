import { SingleFlight } from '../../miniprogram_npm_src/primitives/single-flight'

describe('SingleFlight', () => {
  it('runs fn once for concurrent callers and tells who shared', async () => {
    const flight = new SingleFlight<string, number>()
    let runs = 0
    let finish: (v: number) => void = () => undefined
    const fn = () => {
      runs++
      return new Promise<number>((resolve) => (finish = resolve))
    }
    const first = flight.do('k', fn)
    const second = flight.do('k', fn)
    expect([first.shared, second.shared]).toEqual([false, true])
    await Promise.resolve()
    finish(7)
    expect(await Promise.all([first.value, second.value])).toEqual([7, 7])
    expect(runs).toBe(1)
  })

  it('forgets an entry when it settles, so the next call runs afresh', async () => {
    const flight = new SingleFlight<string, number>()
    await flight.do('k', async () => 1).value
    expect(flight.size()).toBe(0)
    expect(await flight.do('k', async () => 2).value).toBe(2)
  })

  it('forgets a rejected entry too, and shares the rejection while pending', async () => {
    const flight = new SingleFlight<string, number>()
    const a = flight.do('k', async () => Promise.reject(new Error('boom')))
    const b = flight.do('k', async () => 5)
    await expect(a.value).rejects.toThrow('boom')
    await expect(b.value).rejects.toThrow('boom')
    expect(flight.size()).toBe(0)
  })

  it('turns a synchronous throw into a rejection', async () => {
    const flight = new SingleFlight<string, number>()
    await expect(
      flight.do('k', () => {
        throw new Error('sync')
      }).value,
    ).rejects.toThrow('sync')
  })
})

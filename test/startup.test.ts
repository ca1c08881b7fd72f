/**
 * A light start: creating a guard touches neither storage nor timers; the stored session is read on
 * first need, once; and once a tap has settled and WeChat's rate window has passed, no timer is left.
 */
import { createSessionGuard } from '../miniprogram_npm_src'
import { WINDOW_MS } from '../miniprogram_npm_src/wx-session/wx-session'
import { LATENCIES } from '../simulator/scenarios/side-by-side'
import type { Reply } from '../simulator/world/thread-server'
import { World, runToQuiet, timed } from '../simulator/world/world'

function world() {
  const w = new World({ rotation: 'always', expiredConsent: 'expired-key' }, timed(LATENCIES), true)
  const reads: string[] = []
  const wx = { ...w.wx, getStorageSync: (key: string) => (reads.push(key), w.wx.getStorageSync?.(key)) }
  const create = () => createSessionGuard<Reply>({ wx, send: w.network.send, sendLogin: w.network.sendLogin, clock: w.clock, timeout: 5000 })
  return { w, reads, create }
}

/** Runs the virtual clock until `promise` settles, and no further. */
async function until<T>(w: World, promise: Promise<T>): Promise<T> {
  let done = false
  void promise.then(() => (done = true))
  for (let i = 0; i < 1000 && !done; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    if (!done) w.clock.runNext()
  }
  return promise
}

describe('creating a guard', () => {
  it('reads no storage and arms no timer', () => {
    const { w, reads, create } = world()
    create()
    expect(reads).toEqual([])
    expect(w.clock.pending).toBe(0)
  })

  it('reads the stored session on first need, once for every guard on the wx', async () => {
    const { w, reads, create } = world()
    const guard = create()
    const second = create()
    expect(guard.token()).toBe(w.app.issued[0])
    expect(second.token()).toBe(w.app.issued[0])
    await until(w, guard.prepare())
    expect(reads).toHaveLength(1)
  })
})

describe('once the world is quiet', () => {
  it('leaves no timer armed after prepare() and a tap settled and the rate window passed', async () => {
    const { w, create } = world()
    const guard = create()
    await until(w, guard.prepare())
    const tapped = await until(w, guard.getPhoneNumber(w.wechat.consent('tap').detail))
    expect(tapped.status).toBe('ok')
    const settledAt = w.clock.now()
    let passed = false
    w.clock.setTimeout(() => (passed = true), WINDOW_MS)
    while (!passed) w.clock.runNext()
    expect(w.clock.now() - settledAt).toBe(WINDOW_MS)
    expect(w.clock.pending).toBe(0)
    await runToQuiet(w.clock)
  })
})

/**
 * The slot on the wx object is shared with code we do not control: whatever is found there, the guard
 * keeps working, says in an event when it cannot share, and leaves the value alone.
 */
import { createSessionGuard, type GuardEvent } from '../../miniprogram_npm_src'
import { PACKAGE_VERSION, SLOT } from '../../miniprogram_npm_src/wire/device-slot'
import { World, runToQuiet, timed } from '../../simulator/world/world'
import { GUARD_TIMEOUT } from '../../simulator/scenarios/scenario'
import { LATENCIES } from '../../simulator/scenarios/side-by-side'
import type { WxLike } from '../../miniprogram_npm_src/wire/wx-api'
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string }

function guardOn(world: World, wx: WxLike, events: GuardEvent[] = []) {
  return createSessionGuard({ wx, send: world.network.send, sendLogin: world.network.sendLogin, clock: world.clock.device, timeout: GUARD_TIMEOUT, onEvent: (e) => events.push(e) })
}

async function twoLoginsAtOnce(world: World, wx: WxLike, events: GuardEvent[] = []) {
  const a = guardOn(world, wx, events)
  const b = guardOn(world, wx, events)
  const both = Promise.all([a.login(), b.login()])
  await runToQuiet(world.clock)
  return (await both).map((outcome) => outcome.status)
}

const newWorld = () => new World({ rotation: 'always', expiredConsent: 'expired-key' }, timed(LATENCIES), false)

describe('the device slot', () => {
  it('is named by a version kept equal to package.json', () => expect(PACKAGE_VERSION).toBe(version))

  it('is neither enumerable nor replaceable, and goes nowhere with a spread or JSON', () => {
    const world = newWorld()
    guardOn(world, world.wx)
    expect(Object.keys(world.wx)).not.toContain(SLOT)
    expect(JSON.stringify({ ...world.wx })).not.toContain(SLOT)
    const slot = (world.wx as unknown as Record<string, unknown>)[SLOT]
    expect(() => ((world.wx as unknown as Record<string, unknown>)[SLOT] = 1)).toThrow()
    expect((world.wx as unknown as Record<string, unknown>)[SLOT]).toBe(slot)
  })

  it('is found through the login function by a shallow copy of the wx object (uni-app copies wx)', async () => {
    const world = newWorld()
    const copy = { ...world.wx }
    const [a, b] = [guardOn(world, world.wx), guardOn(world, copy)]
    const both = Promise.all([a.login(), b.login()])
    await runToQuiet(world.clock)
    expect((await both).map((o) => o.status)).toEqual(['ok', 'ok'])
    expect(world.wechat.logins).toHaveLength(1)
  })

  it.each([
    ['a number', 42],
    ['a string', 'taken'],
    ['an object of another shape', { v: 1, lock: {} }],
    ['a lock of an unknown contract', { v: 1, lock: { v: 7, claim() {}, landed() {}, delay() {}, listen() {} }, builds: {} }],
  ])('leaves %s found there alone, says so, and keeps one login among its own guards', async (_what, value) => {
    const world = newWorld()
    Object.defineProperty(world.wx, SLOT, { value, enumerable: false })
    const events: GuardEvent[] = []
    expect(await twoLoginsAtOnce(world, world.wx, events)).toEqual(['ok', 'ok'])
    expect(world.wechat.logins).toHaveLength(1)
    expect(events).toContainEqual({ type: 'device-state', problem: 'foreign' })
    expect((world.wx as unknown as Record<string, unknown>)[SLOT]).toBe(value)
  })

  it('works on a frozen wx (and a frozen login), saying the state is this copy’s own', async () => {
    const world = newWorld()
    const frozen = Object.freeze({ ...world.wx, login: Object.freeze(world.wx.login.bind(world.wx)) })
    const events: GuardEvent[] = []
    expect(await twoLoginsAtOnce(world, frozen, events)).toEqual(['ok', 'ok'])
    expect(world.wechat.logins).toHaveLength(1)
    expect(events).toContainEqual({ type: 'device-state', problem: 'unwritable' })
  })

  it('survives a slot whose getter throws', async () => {
    const world = newWorld()
    Object.defineProperty(world.wx, SLOT, {
      get() {
        throw new Error('hostile')
      },
    })
    expect(await twoLoginsAtOnce(world, world.wx)).toEqual(['ok', 'ok'])
    expect(world.wechat.logins).toHaveLength(1)
  })

  it('falls back to its own lock when a lock left by another build throws, and still logs in', async () => {
    const world = newWorld()
    const hostile = () => {
      throw new Error('broken lock')
    }
    Object.defineProperty(world.wx, SLOT, { value: { v: 1, lock: { v: 1, claim: hostile, landed: hostile, delay: hostile, listen: hostile, logins: hostile }, builds: {} } })
    const guard = guardOn(world, world.wx)
    const login = guard.login()
    await runToQuiet(world.clock)
    expect((await login).status).toBe('ok')
    expect(world.wechat.logins).toHaveLength(1)
  })

  it('keeps a lock of another build that answers nonsense within bounds', async () => {
    const world = newWorld()
    const own = { v: 1, claim: () => 'yes', landed: () => undefined, delay: () => NaN, listen: () => 'off', logins: () => -1 }
    Object.defineProperty(world.wx, SLOT, { value: { v: 1, lock: own, builds: {} } })
    const events: GuardEvent[] = []
    expect(await twoLoginsAtOnce(world, world.wx, events)).toEqual(['ok', 'ok'])
    expect(world.clock.pending).toBe(0)
  })
})

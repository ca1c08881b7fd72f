/**
 * The guard at its walls: replies that prove nothing, wx.login callbacks that come late, the phone's
 * clocks, several guards on one wx, a checkSession that says nothing, and bounds past what timers take.
 */
import { createSessionGuard, isGuardError, type GuardEvent } from '../miniprogram_npm_src'
import { LATENCIES } from '../simulator/scenarios/side-by-side'
import type { Reply } from '../simulator/world/thread-server'
import { World, runToQuiet, timed } from '../simulator/world/world'
import { POLICY, settle, setup } from './support/model-guard'


/** Runs the world up to `at` (virtual ms), leaving later timers pending. */
async function runUntil(world: World, at: number): Promise<void> {
  const macrotask = () => new Promise((r) => setImmediate(r))
  await macrotask()
  world.clock.setTimeout(() => undefined, at - world.clock.now())
  while (world.clock.now() < at && world.clock.runNext()) await macrotask()
}

describe('a session is established only by a reply that proves the server stored the key', () => {
  it.each([
    ['a failure the server names', { ok: false, reason: 'WECHAT_UNAVAILABLE' }],
    ['an empty body', ''],
    ['an HTML error page', '<html>502 Bad Gateway</html>'],
  ])('prepare() answers failed after %s, and the next prepare() logs in again', async (_what, reply) => {
    let first = true
    const { world, guard } = setup(true, {
      sendLogin: (code) => (first ? ((first = false), world.network.sendLogin(code).then(() => reply)) : world.network.sendLogin(code)),
    })
    guard.invalidate()
    expect(await settle(world, guard.prepare())).toMatchObject({ status: 'failed', reason: 'SERVER' })
    expect(guard.inspect().needsLogin).toBe(true)
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    expect(world.wechat.logins).toHaveLength(2)
  })

  it('repairs the session through the login route before answering retry when a flag-0 reply proves nothing; the next tap succeeds', async () => {
    const { world, guard } = setup()
    world.wechat.expire()
    world.server.unprovenNextReplies = 1
    const first = await settle(world, guard.getPhoneNumber(world.wechat.consent('a').detail))
    expect(first).toEqual({ status: 'retry', reason: 'SERVER' })
    expect(world.network.sent.map((r) => r.kind)).toEqual(['data', 'login'])
    expect(await settle(world, guard.getPhoneNumber(world.wechat.consent('b').detail))).toMatchObject({ status: 'ok' })
  })
})

describe('a wx.login counts as in flight until its callback arrives', () => {
  it('starts no second wx.login while the first, timed out for its caller, has not called back; its late code marks the session for a login', async () => {
    const { world, guard } = setup(false)
    world.wechat.lateNextLogins.push(20000)
    const first = guard.getPhoneNumber(world.wechat.consent('a').detail)
    await runUntil(world, 6000)
    expect(await first).toMatchObject({ status: 'failed', reason: 'TIMEOUT' })
    // Asked while the first wx.login has not called back: it waits, and gives up rather than log in twice.
    expect(await settle(world, guard.prepare())).toMatchObject({ status: 'failed', reason: 'TIMEOUT' })
    expect(guard.inspect().needsLogin).toBe(true)
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    expect(world.wechat.maxLoginsInFlight).toBe(1)
    expect(world.wechat.logins[1].at).toBeGreaterThanOrEqual(world.wechat.logins[0].at + 20000)
  })
})

describe('time the guard cannot be fooled by', () => {
  it('has no TIMEOUT spell after the device clock is set back an hour: a tap that needs a login still succeeds', async () => {
    const world = new World({ rotation: 'expired-only', expiredConsent: 'fresh-key' }, timed(LATENCIES), true)
    const guard = createSessionGuard<Reply>({ wx: world.wx, send: world.network.send, sendLogin: world.network.sendLogin, clock: world.clock.device, timeout: 5000 })
    for (let login = 0; login < 4; login++) {
      guard.invalidate()
      await settle(world, guard.prepare())
    }
    world.clock.stepWall(-3600000)
    world.wechat.expire()
    expect(await settle(world, guard.getPhoneNumber(world.wechat.consent('e').detail))).toMatchObject({ status: 'ok' })
  })

  it('makes no burst over 4 calls per second after the device clock jumps an hour ahead', async () => {
    const { world, guard } = setup()
    const bursts = () => Promise.all([1, 2, 3].map(() => (guard.invalidate(), guard.prepare())))
    const first = bursts()
    await runUntil(world, 300)
    world.clock.stepWall(3600000)
    world.wechat.expire()
    const taps = ['a', 'b', 'c'].map((tag) => guard.getPhoneNumber(world.wechat.consent(tag).detail))
    await settle(world, Promise.all([first, ...taps]))
    expect(world.wechat.limitedCalls).toBe(0)
    expect(world.wechat.peakCallsPerSecond).toBeLessThanOrEqual(4)
  })

  it('keeps a request’s hold after its caller got TIMEOUT (a suspended app): prepare() does not log in during that decrypt', async () => {
    const { world, guard } = setup(true, {
      send: (payload) => new Promise((resolve) => world.clock.setTimeout(() => resolve(world.network.send(payload)), 8000)),
    })
    const tap = guard.getPhoneNumber(world.wechat.consent('a').detail)
    await runUntil(world, 6000)
    expect(await tap).toMatchObject({ status: 'failed', reason: 'TIMEOUT' })
    guard.invalidate()
    await settle(world, guard.prepare())
    expect(world.allViolations()).toEqual([])
    expect(world.wechat.logins.map((l) => l.at >= 8000)).toEqual([true])
  })

  it('lets that hold go at its hard cap (one more timeout) when the request never settles', async () => {
    const { world, guard } = setup(true, { send: () => new Promise<Reply>(() => undefined) })
    const tap = guard.getPhoneNumber(world.wechat.consent('a').detail)
    await runUntil(world, 6000)
    expect(await tap).toMatchObject({ status: 'failed', reason: 'TIMEOUT' })
    guard.invalidate()
    await settle(world, guard.prepare())
    expect(world.wechat.logins.map((l) => l.at >= 9000 && l.at <= 10100)).toEqual([true])
  })
})

describe('several guards on one wx', () => {
  it('share one login flight and one rate budget, and say so once', async () => {
    const world = new World(POLICY, timed(LATENCIES), true)
    const events: GuardEvent[] = []
    const make = () =>
      createSessionGuard<Reply>({ wx: world.wx, send: world.network.send, sendLogin: world.network.sendLogin, clock: world.clock.device, onEvent: (e) => events.push(e) })
    const guards = [make(), make(), make()]
    world.wechat.expire()
    await settle(world, Promise.all(guards.map((g) => (g.invalidate(), g.prepare()))))
    expect(world.wechat.logins).toHaveLength(1)
    expect(events.filter((e) => e.type === 'shared-wx')).toEqual([{ type: 'shared-wx', guards: 2 }])
  })
})

describe('a wx.checkSession that says nothing', () => {
  it('costs a tap its own short bound, not the whole timeout, and the data goes with flag 1', async () => {
    const world = new World(POLICY, timed(LATENCIES), true)
    const guard = createSessionGuard<Reply>({ wx: { login: world.wx.login, checkSession: () => undefined }, send: world.network.send, clock: world.clock.device, timeout: 5000 })
    const tap = guard.getPhoneNumber(world.wechat.consent('a').detail)
    const settledAt = tap.then(() => world.clock.now())
    await runToQuiet(world.clock)
    expect(await tap).toMatchObject({ status: 'ok' })
    expect(await settledAt).toBeLessThan(5000)
    expect(world.network.sent.map((r) => r.payload.sessionKeyValidFlag)).toEqual(['1'])
  })

  it('never logs in because checkSession threw', async () => {
    const world = new World(POLICY, timed(LATENCIES), true)
    const checkSession = () => {
      throw new Error('not supported')
    }
    // session: false — an app without session tokens, so only checkSession could make prepare() log in.
    const guard = createSessionGuard<Reply>({ wx: { login: world.wx.login, checkSession }, send: world.network.send, sendLogin: world.network.sendLogin, clock: world.clock.device, session: false })
    expect(await settle(world, guard.getPhoneNumber(world.wechat.consent('a').detail))).toMatchObject({ status: 'ok' })
    expect(await settle(world, guard.prepare())).toMatchObject({ status: 'failed' })
    expect(world.wechat.logins).toHaveLength(0)
  })
})

describe('configuration', () => {
  it.each([['timeout'], ['holdMs']])('refuses %s above 2^31-1 ms (timers would fire at once) with a CONFIG error', (name) => {
    const world = new World(POLICY, timed(LATENCIES), true)
    let error: unknown
    try {
      createSessionGuard({ wx: world.wx, send: world.network.send, [name]: 2 ** 31 })
    } catch (e) {
      error = e
    }
    expect(isGuardError(error, 'CONFIG')).toBe(true)
  })
})

/**
 * Two copies of the built package on one wx are one guard: one wx.login at a time, one budget, one
 * token. Today's apps hold copies: Taro's sub-common/, independent subpackages, a library's own copy.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { World, runToQuiet, timed } from '../../simulator/world/world'
import { GUARD_TIMEOUT } from '../../simulator/scenarios/scenario'
import { LATENCIES } from '../../simulator/scenarios/side-by-side'
import { evaluateCopies } from '../support/package-copies'

const BUILT = process.env.SESSION_GUARD_DIST || join(__dirname, '../../miniprogram_dist/index.js')

function twoGuards(world: World) {
  const [a, b] = evaluateCopies(BUILT, 2)
  const options = { wx: world.wx, send: world.network.send, sendLogin: world.network.sendLogin, clock: world.clock.device, timeout: GUARD_TIMEOUT }
  return [a.createSessionGuard(options), b.createSessionGuard(options)]
}

describe('two copies of the package on one wx', () => {
  it('share one wx.login when both log in at once', async () => {
    const world = new World({ rotation: 'always', expiredConsent: 'fresh-key' }, timed(LATENCIES), false)
    const [a, b] = twoGuards(world)
    const both = Promise.all([a.login(), b.login()])
    await runToQuiet(world.clock)
    expect((await both).map((outcome) => outcome.status)).toEqual(['ok', 'ok'])
    expect(world.wechat.logins).toHaveLength(1)
    expect(world.wechat.maxLoginsInFlight).toBe(1)
  })

  it('split six taps in an expired session between them and answer as one copy would, with one wx.login', async () => {
    const sixTaps = async (split: boolean) => {
      const world = new World({ rotation: 'always', expiredConsent: 'fresh-key' }, timed(LATENCIES), false)
      world.wechat.expire()
      const guards = twoGuards(world)
      const taps = [0, 1, 2, 3, 4, 5].map((i) => guards[split ? i % 2 : 0].getPhoneNumber(world.wechat.consent('t' + i).detail))
      await runToQuiet(world.clock)
      return { outcomes: (await Promise.all(taps)).map((outcome) => outcome.status), logins: world.wechat.logins.length, violations: world.allViolations() }
    }
    const oneCopy = await sixTaps(false)
    expect(oneCopy.logins).toBe(1)
    expect(await sixTaps(true)).toEqual(oneCopy)
  })

  it('share the session token: one copy logs in, the other sends its token', async () => {
    const world = new World({ rotation: 'always', expiredConsent: 'fresh-key' }, timed(LATENCIES), false)
    const [a, b] = twoGuards(world)
    const login = a.login()
    await runToQuiet(world.clock)
    expect((await login).status).toBe('ok')
    expect(b.token()).toBeDefined()
    expect(b.token()).toBe(a.token())
  })

  it('a copy of another version that logs in makes a proof of the session stale in this one: its next tap asks checkSession again', async () => {
    // Instant answers: everything happens within one rate window, where the proof would otherwise stand.
    const world = new World({ rotation: 'always', expiredConsent: 'fresh-key' }, timed({}), true)
    const source = readFileSync(BUILT, 'utf8')
    const version = /"(\d+\.\d+\.\d+)\/"/.exec(source) as RegExpExecArray
    const other = join(mkdtempSync(join(tmpdir(), 'session-guard-other-')), 'index.js')
    writeFileSync(other, source.split(version[0]).join('"9.9.9/"'))
    const options = { wx: world.wx, send: world.network.send, sendLogin: world.network.sendLogin, clock: world.clock.device, timeout: GUARD_TIMEOUT }
    const mine = evaluateCopies(BUILT, 1)[0].createSessionGuard(options)
    const theirs = evaluateCopies(other, 1)[0].createSessionGuard(options)
    // Runs the world only until `call` settles: running it to quiet would pass the rate window too.
    const settled = async <T>(call: Promise<T>): Promise<T> => {
      let done = false
      call.then(() => (done = true), () => (done = true))
      for (let i = 0; i < 1000 && !done; i++) {
        await new Promise((resolve) => setImmediate(resolve))
        if (!done) world.clock.runNext()
      }
      return call
    }
    expect((await settled(mine.getPhoneNumber(world.wechat.consent('a').detail))).status).toBe('ok')
    expect((await settled(theirs.login())).status).toBe('ok')
    const checksBefore = world.wechat.calls.filter((c) => c.api === 'checkSession').length
    expect((await settled(mine.getPhoneNumber(world.wechat.consent('b').detail))).status).toBe('ok')
    expect(world.clock.now()).toBeLessThan(1100)
    expect(world.wechat.calls.filter((c) => c.api === 'checkSession').length).toBe(checksBefore + 1)
  })
})

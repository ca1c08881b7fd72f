/**
 * The guard's guarantees (test/support/guard-properties.ts) with every call spread over separate
 * copies of the built package on one wx: two copies, three copies, and two copies of different
 * versions, which share only the device lock (one wx.login at a time, one budget).
 */
import { join } from 'node:path'
import fc from 'fast-check'
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { World, runToQuiet, scheduled } from '../../simulator/world/world'
import { guardFor, playGuard, scenarioArb } from '../../simulator/scenarios/scenario'
import { RATE_LIMIT } from '../../simulator/model/wechat'
import { guardProperties } from '../support/guard-properties'
import { evaluateCopies, spreadCreate } from '../support/package-copies'

const BUILT = process.env.SESSION_GUARD_DIST || join(__dirname, '../../miniprogram_dist/index.js')
const RUNS = Number(process.env.PROPERTY_RUNS || 100)

describe('two copies of the package', () => guardProperties(spreadCreate(evaluateCopies(BUILT, 2)), RUNS))

describe('three copies of the package', () => guardProperties(spreadCreate(evaluateCopies(BUILT, 3)), Math.ceil(RUNS / 2)))

describe('two copies of different versions', () => {
  // The same build under another version number: a different build to the slot, so only the lock is shared.
  const source = readFileSync(BUILT, 'utf8')
  const version = /"(\d+\.\d+\.\d+)\/"/.exec(source)
  const other = join(mkdtempSync(join(tmpdir(), 'session-guard-other-')), 'index.js')
  writeFileSync(other, version ? source.split(version[0]).join('"9.9.9/"') : source)
  const create = spreadCreate([...evaluateCopies(BUILT, 1), ...evaluateCopies(other, 1)])

  it('is a different build to the slot', () => expect(version).not.toBeNull())

  it('never has two wx.login calls in flight, and keeps within the rate limit together', () =>
    fc.assert(
      fc.asyncProperty(fc.scheduler(), scenarioArb({ world: true, faults: true, hostile: true, maxSteps: 30 }), async (s, scenario) => {
        const world = new World(scenario.policies, scheduled(s), scenario.loggedIn)
        playGuard(world, guardFor(world, {}, create), scenario.steps, create)
        await runToQuiet(world.clock, s)
        expect(world.wechat.maxLoginsInFlight).toBeLessThanOrEqual(1)
        expect(world.wechat.limitedCalls).toBe(0)
        expect(world.wechat.peakCallsPerSecond).toBeLessThanOrEqual(RATE_LIMIT)
        for (const [code, requests] of world.network.requestsPerCode()) expect({ code, twice: requests > 1 }).toEqual({ code, twice: false })
        expect(world.clock.pending).toBe(0)
      }),
      { numRuns: RUNS },
    ))
})

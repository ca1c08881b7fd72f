/**
 * The guard owning the app's session, checked over interleavings fast-check's scheduler picks against
 * the WeChat model: how one scenario is simulated and checked. The properties: test/session/session.property.test.ts
 * and test/session/session.settle.property.test.ts (two files, so two workers share them).
 */
import fc from 'fast-check'
import type { SessionGuard } from '../../miniprogram_npm_src'
import { appScenarioArb, playApp, type AppRun, type AppScenario } from '../../simulator/scenarios/app-scenario'
import { guardFor } from '../../simulator/scenarios/scenario'
import type { Reply } from '../../simulator/world/thread-server'
import { World, runToQuiet, scheduled } from '../../simulator/world/world'

const RUNS = Number(process.env.PROPERTY_RUNS || 400)

export type Result = { world: World; run: AppRun; guard: SessionGuard<Reply> }

async function simulate(s: fc.Scheduler, scenario: AppScenario): Promise<Result> {
  const world = new World(scenario.policies, scheduled(s), scenario.loggedIn)
  const guard = guardFor(world)
  const run = playApp(world, guard, scenario.steps)
  await runToQuiet(world.clock, s)
  return { world, run, guard }
}

export function property(scenario: fc.Arbitrary<AppScenario>, check: (result: Result) => void) {
  return fc.assert(
    fc.asyncProperty(fc.scheduler(), scenario, async (s, sc) => check(await simulate(s, sc))),
    { numRuns: RUNS },
  )
}

/** Taps, pages, requests, token expiries and faults. */
export const everything = appScenarioArb({ world: true, faults: true })

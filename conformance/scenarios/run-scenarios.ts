import { Broken, Skipped, type Context, type Scenario } from './scenario'

export interface ScenarioResult {
  id: string
  title: string
  status: 'pass' | 'fail' | 'skip'
  saw: string
  rule: string
  fix: string
  ms: number
}

/** Past this a scenario is a failure: the backend left a request unanswered. */
export const SCENARIO_BOUND_MS = 40_000

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Broken(`the scenario did not finish within ${ms / 1000} s`, 'P-TIME-2', 'bound every WeChat and store call so each request is answered')), ms)
  })
  return Promise.race([work, limit]).finally(() => clearTimeout(timer))
}

/**
 * Prepares every scenario at once (those that wait on a clock start it), then runs them one by one:
 * a single-threaded backend (php -S) sees one scenario's requests at a time.
 */
export async function runScenarios(ctx: Context, scenarios: Scenario[]): Promise<ScenarioResult[]> {
  const prepared = await Promise.all(scenarios.map((s) => (s.prepare ? bounded(s.prepare(ctx), SCENARIO_BOUND_MS).catch((error: unknown) => error) : Promise.resolve(undefined))))
  const results: ScenarioResult[] = []
  for (const [i, scenario] of scenarios.entries()) {
    const started = Date.now()
    const base = { id: scenario.id, title: scenario.title }
    try {
      if (prepared[i] instanceof Error) throw prepared[i]
      const saw = await bounded(scenario.run(ctx, prepared[i]), SCENARIO_BOUND_MS)
      results.push({ ...base, status: 'pass', saw, rule: scenario.rule, fix: '', ms: Date.now() - started })
    } catch (error) {
      const ms = Date.now() - started
      if (error instanceof Skipped) results.push({ ...base, status: 'skip', saw: error.saw, rule: scenario.rule, fix: error.fix, ms })
      else if (error instanceof Broken) results.push({ ...base, status: 'fail', saw: error.saw, rule: error.rule || scenario.rule, fix: error.fix || scenario.fix, ms })
      else results.push({ ...base, status: 'fail', saw: `the kit could not run it: ${error instanceof Error ? error.message : String(error)}`, rule: scenario.rule, fix: scenario.fix, ms })
    }
  }
  return results
}

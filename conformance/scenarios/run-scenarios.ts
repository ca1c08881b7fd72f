import { Broken, Skipped, type Context, type Scenario, type Warning } from './scenario'

export interface ScenarioResult {
  id: string
  title: string
  /** warn: every MUST held, a SHOULD did not (a failure under --strict). */
  status: 'pass' | 'warn' | 'fail' | 'skip'
  saw: string
  rule: string
  fix: string
  /** The SHOULDs not followed, in the order they were seen. */
  warnings: Warning[]
  ms: number
}

/** A scenario that passed its MUSTs, with the SHOULDs it saw broken: warn, or fail under --strict. */
function passed(base: { id: string; title: string; rule: string }, saw: string, warnings: Warning[], strict: boolean, ms: number): ScenarioResult {
  if (warnings.length === 0) return { ...base, status: 'pass', saw, fix: '', warnings, ms }
  const status = strict ? 'fail' : 'warn'
  const rule = [...new Set(warnings.map((w) => w.rule))].join(', ')
  return { ...base, status, saw: warnings.map((w) => w.saw).join('; '), rule, fix: [...new Set(warnings.map((w) => w.fix))].join('; '), warnings, ms }
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
export async function runScenarios(shared: Omit<Context, 'warn'>, scenarios: Scenario[], strict = false): Promise<ScenarioResult[]> {
  const warnings = scenarios.map((): Warning[] => [])
  const contexts = warnings.map((list): Context => ({ ...shared, warn: (warning) => void list.push(warning) }))
  const prepared = await Promise.all(scenarios.map((s, i) => (s.prepare ? bounded(s.prepare(contexts[i]), SCENARIO_BOUND_MS).catch((error: unknown) => error) : Promise.resolve(undefined))))
  const results: ScenarioResult[] = []
  for (const [i, scenario] of scenarios.entries()) {
    const started = Date.now()
    const base = { id: scenario.id, title: scenario.title }
    const seen = warnings[i]
    try {
      if (prepared[i] instanceof Error) throw prepared[i]
      const saw = await bounded(scenario.run(contexts[i], prepared[i]), SCENARIO_BOUND_MS)
      results.push(passed({ ...base, rule: scenario.rule }, saw, [...seen], strict, Date.now() - started))
    } catch (error) {
      const ms = Date.now() - started
      const kept = [...seen]
      if (error instanceof Skipped) results.push({ ...base, status: 'skip', saw: error.saw, rule: scenario.rule, fix: error.fix, warnings: kept, ms })
      else if (error instanceof Broken) results.push({ ...base, status: 'fail', saw: error.saw, rule: error.rule || scenario.rule, fix: error.fix || scenario.fix, warnings: kept, ms })
      else results.push({ ...base, status: 'fail', saw: `the kit could not run it: ${error instanceof Error ? error.message : String(error)}`, rule: scenario.rule, fix: scenario.fix, warnings: kept, ms })
    }
  }
  return results
}

/**
 * npm run demo: the seed thread's client and the guard, side by side, on the WeChat model (simulator/),
 * explained for a newcomer, plus an SVG timeline of one scenario. The guard is the built package, as users get it.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createSessionGuard } from '../miniprogram_dist'
import { columnsNotIn, explainColumns, formatTable, POLICY_COLUMNS, policyRow, SCENARIO_COLUMNS, scenarioRow, summarize } from '../simulator/render/demo-report'
import { DEMO_TIMELINE_PATH, demoTimeline, TIMELINE_SCENARIO } from '../simulator/render/demo-timeline'
import { describePolicies } from '../simulator/model/policy-names'
import { runSideBySide, SCENARIOS, type ScenarioResult } from '../simulator/scenarios/side-by-side'
import { ALL_POLICIES, type Policies } from '../simulator/model/wechat'

const CLIENTS = ['thread', 'guard'] as const

async function runAll(policies: Policies): Promise<Record<(typeof CLIENTS)[number], ScenarioResult[]>> {
  const run = (client: (typeof CLIENTS)[number]) => Promise.all(SCENARIOS.map((s) => runSideBySide(s, client, policies, createSessionGuard)))
  return { thread: await run('thread'), guard: await run('guard') }
}

async function main(): Promise<void> {
  const worst: Policies = { rotation: 'always', expiredConsent: 'expired-key' }
  const worstRuns = await runAll(worst)
  const rows = SCENARIOS.flatMap((_, i) => CLIENTS.map((client) => scenarioRow(worstRuns[client][i])))
  console.log(`Thread client vs guard, scenario by scenario — WeChat model where ${describePolicies(worst)}\n`)
  console.log(formatTable(SCENARIO_COLUMNS, rows))
  console.log(`\nColumns:\n${explainColumns(SCENARIO_COLUMNS)}\n`)

  const summaryRows: string[][] = []
  for (const policies of ALL_POLICIES) {
    const runs = policies.rotation === worst.rotation && policies.expiredConsent === worst.expiredConsent ? worstRuns : await runAll(policies)
    for (const client of CLIENTS) summaryRows.push(policyRow(policies, runs[client]))
  }
  console.log("All scenarios together, under each answer to what WeChat leaves undocumented\n")
  console.log(formatTable(POLICY_COLUMNS, summaryRows))
  console.log(`\nColumns (as above, plus):\n${explainColumns(columnsNotIn(POLICY_COLUMNS, SCENARIO_COLUMNS))}\n`)
  console.log('What the numbers say (the first two rows):')
  console.log(summarize(worst, worstRuns.thread, worstRuns.guard).join('\n'))

  const { svg } = await demoTimeline(createSessionGuard)
  mkdirSync(path.dirname(DEMO_TIMELINE_PATH), { recursive: true })
  writeFileSync(DEMO_TIMELINE_PATH, svg)
  console.log(`\nTimeline of "${TIMELINE_SCENARIO.name}" (thread client above, guard below): ${path.relative(process.cwd(), DEMO_TIMELINE_PATH)}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

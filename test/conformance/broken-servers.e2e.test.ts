/**
 * The conformance kit catches broken backends: each broken companion fails exactly the scenarios of
 * the rule it breaks (exit 1, the rule named), where the same companion unbroken passes them all
 * (companion-mounts.e2e.test.ts).
 */
import { BROKEN_COMPANIONS } from './broken-companions'
import { kitAgainstCompanion, type KitReport, type Mount } from './companion-under-test'

const reports = new Map<string, KitReport>()
// Mounts taken in turn, so each framework's body handling meets some breakage.
const mountOf = (i: number): Mount => (['node:http', 'express', 'koa'] as const)[i % 3]

beforeAll(async () => {
  // A 1 s bound on WeChat calls keeps each run short; the rules do not depend on it.
  const runs = await Promise.all(BROKEN_COMPANIONS.map((b, i) => kitAgainstCompanion({ mount: mountOf(i), tokenLifetimeSeconds: 5, wechatTimeoutMs: 1000, breakage: b.breakage() })))
  BROKEN_COMPANIONS.forEach((b, i) => reports.set(b.name, runs[i]))
  if (process.env.CONFORMANCE_PRINT) for (const [name, report] of reports) console.log(`### broken: ${name}\n\n${report.output}`)
}, 90_000)

describe('the conformance kit against a broken companion', () => {
  it.each(BROKEN_COMPANIONS.map((b) => [b.name, b] as const))('%s: exit 1, exactly its scenarios fail, naming its rule', (name, broken) => {
    const report = reports.get(name) as KitReport
    expect(report.exitCode).toBe(1)
    expect(report.failed.sort()).toEqual([...broken.failing].sort())
    const first = report.results?.find((r) => r.id === broken.failing[0])
    expect(first).toMatchObject({ status: 'fail', rule: broken.rule })
    expect(report.output).toMatch(new RegExp(`\\| ${broken.failing[0]}: [^|]+ \\| FAIL \\| [^|]+ \\| ${broken.rule} \\|`))
  })
})

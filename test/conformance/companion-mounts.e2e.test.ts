/**
 * The Node companion passes the conformance kit 100% with --strict (every SHOULD the kit can see
 * followed too), mounted on node:http, Express and Koa, with its default bounds (5 s per WeChat call):
 * the kit runs its CLI entry against each, over loopback.
 */
import { kitAgainstCompanion, type KitReport, type Mount } from './companion-under-test'

const MOUNTS: Mount[] = ['node:http', 'express', 'koa']
const reports = new Map<Mount, KitReport>()

beforeAll(async () => {
  // The three run at once: each waits ~10 s on the kit's slow WeChat, on its own ports.
  const runs = await Promise.all(MOUNTS.map((mount) => kitAgainstCompanion({ mount, tokenLifetimeSeconds: 5 }, ['--strict'])))
  MOUNTS.forEach((mount, i) => reports.set(mount, runs[i]))
  if (process.env.CONFORMANCE_PRINT) for (const [mount, report] of reports) console.log(`### companion on ${mount}\n\n${report.output}`)
}, 90_000)

describe('the conformance kit against the companion', () => {
  it.each(MOUNTS)('on %s: every scenario passes with --strict, exit 0', (mount) => {
    const report = reports.get(mount) as KitReport
    expect(report.failed).toEqual([])
    expect(report.exitCode).toBe(0)
    expect(report.results?.length).toBeGreaterThanOrEqual(25)
    expect(report.output).toMatch(/26 passed, 0 warned, 0 failed, 0 skipped in [\d.]+ s: conformant \(--strict/)
  })
})

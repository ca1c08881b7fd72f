/**
 * npm run demo: the seed thread's client and the guard, side by side, on the
 * WeChat model (simulator/). The guard is the built package, as users get it.
 */
import { createSessionGuard } from '../miniprogram_dist'
import { runSideBySide, SCENARIOS, type ScenarioResult } from '../simulator/side-by-side'
import { ALL_POLICIES, type Policies } from '../simulator/wechat'

function row(r: ScenarioResult): string[] {
  const failed = r.taps.filter((t) => !t.ok)
  const retapped = failed.filter((t) => t.retapOk !== undefined)
  return [
    r.scenario,
    r.client,
    String(r.taps.length),
    String(r.taps.length - failed.length),
    String(failed.filter((t) => t.avoidable).length),
    r.client === 'guard' ? `${retapped.filter((t) => t.retapOk).length}/${failed.length}` : '-',
    String(r.logins),
    String(r.checks),
    String(r.peakPerSecond),
    String(r.limitedCalls),
    String(r.codeErrors),
  ]
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return rows.map((r) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n')
}

async function main(): Promise<void> {
  const header = ['scenario', 'client', 'taps', 'ok', 'failed while valid', 're-tap ok', 'wx.login', 'checkSession', 'peak/s', 'over limit', 'code errors']
  const worst: Policies = { rotation: 'always', expiredConsent: 'expired-key' }
  const rows = [header]
  for (const scenario of SCENARIOS) {
    for (const client of ['thread', 'guard'] as const) rows.push(row(await runSideBySide(scenario, client, worst, createSessionGuard)))
  }
  console.log(`Thread client vs guard — WeChat model, every login rotates the key (policy ${worst.rotation}/${worst.expiredConsent})\n`)
  console.log(table(rows))

  const summary = [['policy', 'client', 'taps', 'ok', 'failed while valid', 'peak/s', 'over limit', 'code errors']]
  for (const policies of ALL_POLICIES) {
    for (const client of ['thread', 'guard'] as const) {
      const all = await Promise.all(SCENARIOS.map((s) => runSideBySide(s, client, policies, createSessionGuard)))
      const tapsAll = all.flatMap((r) => r.taps)
      summary.push([
        `${policies.rotation}/${policies.expiredConsent}`,
        client,
        String(tapsAll.length),
        String(tapsAll.filter((t) => t.ok).length),
        String(tapsAll.filter((t) => !t.ok && t.avoidable).length),
        String(Math.max(...all.map((r) => r.peakPerSecond))),
        String(all.reduce((n, r) => n + r.limitedCalls, 0)),
        String(all.reduce((n, r) => n + r.codeErrors, 0)),
      ])
    }
  }
  console.log('\nAll scenarios under every undocumented WeChat behavior\n')
  console.log(table(summary))
  console.log('\n"failed while valid": taps made in a valid session, with no login in flight, under a key the server holds or can learn.')
  console.log('"re-tap ok": failed guard taps that went through on one more tap.')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

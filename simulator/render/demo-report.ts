import { EXPIRED_CONSENT_SHORT, ROTATION_SHORT } from '../model/policy-names'
import type { ScenarioResult, TapResult } from '../scenarios/side-by-side'
import type { Policies } from '../model/wechat'

/**
 * The words of `npm run demo`: tables whose every column is explained once
 * under them, and a summary that says what the numbers mean.
 */

export interface Column {
  header: string
  explains: string
}

const TAP_COLUMNS: Column[] = [
  { header: 'client', explains: "thread = the seed thread's code as posted (checkSession per tap, wx.login when it fails, pages log in on show); guard = this package" },
  { header: 'taps', explains: 'times the user tapped "allow" in the phone-number dialog (re-taps not counted)' },
  { header: 'ok', explains: 'taps that got the phone number on that tap' },
  { header: 'retry', explains: 'guard taps answered `retry`: the session was renewed, the user is asked to tap once more' },
  { header: 're-tap ok', explains: 'of the taps that did not get the number, how many got it on one more tap (guard only; a `retry` promises it)' },
  { header: 'failed while valid', explains: 'failures no client should have: valid session, no login in flight, the server holding (or able to learn) the key' },
]

const CALL_COLUMNS: Column[] = [
  { header: 'wx.login', explains: 'wx.login calls; under this policy each one gives the user a new session_key' },
  { header: 'checkSession', explains: 'wx.checkSession calls' },
  { header: 'peak/s', explains: 'most wx.login + wx.checkSession calls in any rolling second; WeChat allows 4' },
  { header: 'over limit', explains: 'calls past that limit, which WeChat fails' },
  { header: 'code errors', explains: 'login codes the server could not exchange (40029 invalid, 40163 used twice)' },
]

export const SCENARIO_COLUMNS: Column[] = [{ header: 'scenario', explains: 'the race being played (simulator/scenarios/side-by-side.ts)' }, ...TAP_COLUMNS, ...CALL_COLUMNS]

export const POLICY_COLUMNS: Column[] = [
  { header: 'new key on wx.login', explains: 'when WeChat replaces the key on wx.login (undocumented): on every login, at most every 3 s, or only after expiry' },
  { header: 'expired consent sealed with', explains: "which key seals data the user consents to in an expired session (undocumented): the old key, or a new one only a new login's code can fetch" },
  ...TAP_COLUMNS,
  ...CALL_COLUMNS.filter((c) => c.header !== 'wx.login' && c.header !== 'checkSession'),
]

const isRetry = (t: TapResult) => t.status.startsWith('retry')
const notOk = (taps: TapResult[]) => taps.filter((t) => !t.ok)

function tapCells(client: string, taps: TapResult[]): string[] {
  const failed = notOk(taps)
  return [
    client,
    String(taps.length),
    String(taps.length - failed.length),
    client === 'guard' ? String(taps.filter(isRetry).length) : '-',
    client === 'guard' ? `${failed.filter((t) => t.retapOk).length}/${failed.length}` : '-',
    String(failed.filter((t) => t.avoidable).length),
  ]
}

export function scenarioRow(r: ScenarioResult): string[] {
  return [r.scenario, ...tapCells(r.client, r.taps), String(r.logins), String(r.checks), String(r.peakPerSecond), String(r.limitedCalls), String(r.codeErrors)]
}

export function policyRow(policies: Policies, results: ScenarioResult[]): string[] {
  const taps = results.flatMap((r) => r.taps)
  return [
    ROTATION_SHORT[policies.rotation],
    EXPIRED_CONSENT_SHORT[policies.expiredConsent],
    ...tapCells(results[0].client, taps),
    String(Math.max(...results.map((r) => r.peakPerSecond))),
    String(results.reduce((n, r) => n + r.limitedCalls, 0)),
    String(results.reduce((n, r) => n + r.codeErrors, 0)),
  ]
}

/** Text columns left-aligned, numbers right-aligned. */
export function formatTable(columns: Column[], rows: string[][]): string {
  const all = [columns.map((c) => c.header), ...rows]
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => r[i].length)))
  const numeric = (i: number) => rows.every((r) => /^[\d/-]+$/.test(r[i]))
  return all.map((r) => r.map((cell, i) => (numeric(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n')
}

/** The columns of `table` that `shown` has not explained yet. */
export function columnsNotIn(table: Column[], shown: Column[]): Column[] {
  return table.filter((c) => !shown.some((s) => s.header === c.header))
}

/** Each column once, in table order. */
export function explainColumns(columns: Column[]): string {
  const width = Math.max(...columns.map((c) => c.header.length))
  return columns.map((c) => `  ${c.header.padEnd(width)}  ${c.explains}`).join('\n')
}

/** What the numbers under one policy mean, in sentences. */
export function summarize(policies: Policies, thread: ScenarioResult[], guard: ScenarioResult[]): string[] {
  const g = guard.flatMap((r) => r.taps)
  const t = thread.flatMap((r) => r.taps)
  const gFailed = notOk(g)
  const retries = gFailed.filter(isRetry)
  const faults = gFailed.filter((x) => !isRetry(x))
  const limited = (rs: ScenarioResult[]) => rs.reduce((n, r) => n + r.limitedCalls, 0)
  return [
    `With WeChat giving a new key on ${ROTATION_SHORT[policies.rotation]} and sealing expired-session consent with ${EXPIRED_CONSENT_SHORT[policies.expiredConsent]}:`,
    `- The guard got the number on ${g.length - gFailed.length} of ${g.length} taps at once.`,
    `- ${retries.length} taps answered \`retry\`: the session was already renewed, and ${retries.filter((x) => x.retapOk).length} of ${retries.length} went through on one more tap — that is what \`retry\` promises.`,
    `- ${faults.length} failed on faults the scenarios inject (a failing wx.login or checkSession, a lost request or reply); ${faults.filter((x) => x.retapOk).length} of them went through on one more tap.`,
    `- Failed while valid: ${notOk(g).filter((x) => x.avoidable).length} for the guard, ${notOk(t).filter((x) => x.avoidable).length} for the thread's client. Calls over WeChat's 4-per-second limit: ${limited(guard)} for the guard, ${limited(thread)} for the thread's client.`,
    `- The thread's client got the number on ${t.length - notOk(t).length} of ${t.length} taps.`,
  ]
}

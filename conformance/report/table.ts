import type { ScenarioResult } from '../scenarios/run-scenarios'

export interface RunHeader {
  /** The platform faked; the report names it unless it is WeChat. */
  platform?: string
  server: string
  loginPath: string
  dataPath: string
  wechatBase: string
  appId: string
  secret: string
}

const MARK = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const

/** A pipe in a cell would end it early. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()

export function summary(results: ScenarioResult[]): { passed: number; failed: number; skipped: number } {
  return {
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.filter((r) => r.status === 'skip').length,
  }
}

/** The report a person reads: a Markdown table (it pastes into an issue as it is), then the verdict. */
export function table(header: RunHeader, results: ScenarioResult[], elapsedMs: number): string {
  const lines = [
    `session-guard-conformance: ${header.server} (login ${header.loginPath}, data ${header.dataPath})`,
    `fake ${header.platform && header.platform !== 'weixin' ? header.platform : 'WeChat'} API: ${header.wechatBase}  appid ${header.appId}  secret ${header.secret}`,
    '',
    '| scenario | result | saw | rule | fix |',
    '|---|---|---|---|---|',
  ]
  for (const r of results) {
    const rule = r.status === 'pass' ? '' : r.rule
    const fix = r.status === 'pass' ? '' : r.fix
    lines.push(`| ${cell(`${r.id}: ${r.title}`)} | ${MARK[r.status]} | ${cell(r.saw)} | ${rule} | ${cell(fix)} |`)
  }
  const { passed, failed, skipped } = summary(results)
  const verdict = failed === 0 && skipped === 0 ? 'conformant' : 'NOT conformant'
  lines.push('', `${passed} passed, ${failed} failed, ${skipped} skipped in ${(elapsedMs / 1000).toFixed(1)} s: ${verdict} (docs/protocol.md)`)
  return lines.join('\n')
}

export function json(header: RunHeader, results: ScenarioResult[], elapsedMs: number): string {
  return JSON.stringify({ ...header, ...summary(results), conformant: results.every((r) => r.status === 'pass'), elapsedMs, results }, null, 2)
}

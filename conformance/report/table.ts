import type { ScenarioResult } from '../scenarios/run-scenarios'

export interface RunHeader {
  server: string
  loginPath: string
  dataPath: string
  wechatBase: string
  appId: string
  secret: string
  /** --strict: a SHOULD not followed is a failure. */
  strict: boolean
}

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' } as const

/** A pipe in a cell would end it early. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()

export function summary(results: ScenarioResult[]): { passed: number; warned: number; failed: number; skipped: number } {
  return {
    passed: results.filter((r) => r.status === 'pass').length,
    warned: results.filter((r) => r.status === 'warn').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.filter((r) => r.status === 'skip').length,
  }
}

/** The report a person reads: a Markdown table (it pastes into an issue as it is), then the verdict. */
export function table(header: RunHeader, results: ScenarioResult[], elapsedMs: number): string {
  const lines = [
    `session-guard-conformance: ${header.server} (login ${header.loginPath}, data ${header.dataPath})`,
    `fake WeChat API: ${header.wechatBase}  appid ${header.appId}  secret ${header.secret}`,
    '',
    '| scenario | result | saw | rule | fix |',
    '|---|---|---|---|---|',
  ]
  for (const r of results) {
    const rule = r.status === 'pass' ? '' : r.rule
    const fix = r.status === 'pass' ? '' : r.fix
    lines.push(`| ${cell(`${r.id}: ${r.title}`)} | ${MARK[r.status]} | ${cell(r.saw)} | ${rule} | ${cell(fix)} |`)
  }
  const { passed, warned, failed, skipped } = summary(results)
  const verdict = !conformant(results) ? 'NOT conformant' : warned > 0 ? 'conformant, with warnings (SHOULDs not followed; --strict fails them)' : 'conformant'
  const mode = header.strict ? ' (--strict: SHOULDs count as MUSTs)' : ''
  lines.push('', `${passed} passed, ${warned} warned, ${failed} failed, ${skipped} skipped in ${(elapsedMs / 1000).toFixed(1)} s: ${verdict}${mode} (docs/protocol.md)`)
  return lines.join('\n')
}

/** Every MUST held (a warning is a SHOULD; under --strict it was made a failure already). */
export function conformant(results: ScenarioResult[]): boolean {
  return results.every((r) => r.status === 'pass' || r.status === 'warn')
}

export function json(header: RunHeader, results: ScenarioResult[], elapsedMs: number): string {
  return JSON.stringify({ ...header, ...summary(results), conformant: conformant(results), elapsedMs, results }, null, 2)
}

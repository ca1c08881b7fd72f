/** bench:load's table: one row per configuration and phase, and the summary over repeats. */
import type { Options } from './bench-load-options'
import type { PhaseResult } from './bench-load-clients'

export interface Row {
  config: string
  phase: string
  requests: number
  rps: number
  p50: number
  p99: number
  max: number
  cpuUs: number
  failures: number
}

export const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN)

export function row(config: string, name: string, r: PhaseResult): Row {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b)
  return { config, phase: name, requests: r.requests, rps: r.requests / r.seconds, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN, cpuUs: r.cpuUsPerRequest, failures: r.failures }
}

export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—')
export const HEADER = `${'config'.padEnd(22)}${'phase'.padEnd(12)}${'req'.padStart(7)}${'req/s'.padStart(8)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'max ms'.padStart(8)}${'CPU µs/req'.padStart(12)}${'failed'.padStart(8)}`
export const line = (r: Row, spread = '') =>
  `${r.config.padEnd(22)}${r.phase.padEnd(12)}${String(r.requests).padStart(7)}${fmt(r.rps).padStart(8)}${fmt(r.p50, 1).padStart(8)}${fmt(r.p99, 1).padStart(8)}${fmt(r.max, 1).padStart(8)}${fmt(r.cpuUs, 1).padStart(12)}${String(r.failures).padStart(8)}${spread}`

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
}

export function summarize(all: Row[], options: Options): void {
  const groups = new Map<string, Row[]>()
  for (const r of all) groups.set(`${r.config}|${r.phase}`, [...(groups.get(`${r.config}|${r.phase}`) || []), r])
  const medians = new Map<string, Row>()
  console.log(`\nmedians of ${options.repeats} repeat(s)  [CPU µs/req min–max]`)
  console.log(HEADER)
  for (const [key, rows] of groups) {
    const m: Row = {
      config: rows[0].config,
      phase: rows[0].phase,
      requests: median(rows.map((r) => r.requests)),
      rps: median(rows.map((r) => r.rps)),
      p50: median(rows.map((r) => r.p50)),
      p99: median(rows.map((r) => r.p99)),
      max: Math.max(...rows.map((r) => r.max)),
      cpuUs: median(rows.map((r) => r.cpuUs)),
      failures: rows.reduce((a, r) => a + r.failures, 0),
    }
    medians.set(key, m)
    console.log(line(m, `   [${fmt(Math.min(...rows.map((r) => r.cpuUs)), 1)}–${fmt(Math.max(...rows.map((r) => r.cpuUs)), 1)}]`))
  }
  const get = (config: string, name: string) => medians.get(`${config}|${name}`)
  console.log('\nratios (medians)')
  for (const processes of options.processes) {
    const bare = get(`bare×${processes}`, 'decrypt')
    for (const role of ['companion-memory', 'companion-redis']) {
      const flag1 = get(`${role}×${processes}`, 'flag1')
      if (bare && flag1) console.log(`  CPU per flag-'1' request, ${role}×${processes} / bare×${processes}: ${(flag1.cpuUs / bare.cpuUs).toFixed(2)}×  (target ≤ 1.3×)`)
    }
  }
  for (const role of ['companion-memory', 'companion-redis']) {
    const burst = get(`${role}×1`, 'cold-burst')
    if (burst) console.log(`  slowest cold-burst login, ${role}×1: ${fmt(burst.max)} ms over every repeat  (target ≤ 1000 ms)`)
  }
  if (options.processes.includes(1) && options.processes.includes(2)) {
    console.log('  throughput from 1 to 2 processes (2 cores shared with the load generator and the fake WeChat):')
    for (const [config, name] of [['bare', 'decrypt'], ['companion-redis', 'mixed'], ['companion-redis', 'flag1']]) {
      const one = get(`${config}×1`, name)
      const two = get(`${config}×2`, name)
      if (one && two) console.log(`    ${config} ${name}: ${fmt(one.rps)} → ${fmt(two.rps)} req/s (${(two.rps / one.rps).toFixed(2)}×)`)
    }
  }
}

/**
 * The figures under `node --jitless` (iOS runs mini program JS on JavaScriptCore without a JIT): startup,
 * guard.request and one tap, each beside its yardstick, measured by scripts/bench-jitless.js in fresh
 * processes (startup: one sample per process, median of many) and checked against the limits issue 26 set.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

const PROBE = join(__dirname, 'bench-jitless.js')
const CLIENTS = join(__dirname, 'bench-clients.js')

/** What follows evaluation (create, first prepare(), first tap) costs at most this share of the evaluation. */
export const STARTUP_LIMIT = 0.5
/** guard.request against a raw promisified wx.request. */
export const REQUEST_LIMIT = 1.5
/** A tap against the bare client held to the same duties (checked detail, one bound). */
export const TAP_LIMIT = 2

function probe(args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, ['--jitless', PROBE, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 })
  return JSON.parse(out.trim().split('\n').pop() as string)
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function medians(samples: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const key of Object.keys(samples[0])) out[key] = median(samples.map((s) => s[key]))
  return out
}

export interface JitlessFigures {
  startup: Record<string, number>
  bareStartup: Record<string, number>
  request: Record<string, number>
  tap: Record<string, number>
}

/** `pkg`: the package's index.js to measure. */
export function measureJitless(pkg: string, processes = 21): JitlessFigures {
  const startup: Record<string, number>[] = []
  const bare: Record<string, number>[] = []
  // Interleaved, so both see the same machine.
  for (let i = 0; i < processes; i++) {
    startup.push(probe(['startup', pkg]))
    bare.push(probe(['startup-bare', CLIENTS]))
  }
  return { startup: medians(startup), bareStartup: medians(bare), request: probe(['request', pkg]), tap: probe(['tap', pkg, CLIENTS]) }
}

const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`
const verdict = (value: number, limit: number) => (value <= limit ? `within the limit ≤ ${limit}` : `OVER THE LIMIT ≤ ${limit}`)

/** The report, and whether every figure is within its limit. */
export function describeJitless(f: JitlessFigures): { text: string; within: boolean } {
  const { evaluate, create, prepare, tap } = f.startup
  const after = create + prepare + tap
  const again = f.startup.againcreate + f.startup.againprepare + f.startup.againtap
  const startupShare = after / evaluate
  const requestRatio = f.request.guard / f.request.raw
  const tapRatio = f.tap.guard / f.tap.bounded
  const text = [
    'Under node --jitless (no JIT, as iOS runs mini programs), CPU:',
    `  startup (median of fresh processes): evaluate ${ms(evaluate)}, createSessionGuard ${ms(create)}, first prepare() ${ms(prepare)}, first tap ${ms(tap)}; total ${ms(evaluate + after)}`,
    `    what follows evaluation ${ms(after)} = ${startupShare.toFixed(2)} × the evaluation (${verdict(startupShare, STARTUP_LIMIT)})`,
    `    the same again on a second phone in the same process (the code compiled by then) ${ms(again)}: first runs are ${Math.round((100 * (after - again)) / after)} % of what follows evaluation`,
    `    bare client (scripts/bench-clients.js): evaluate ${ms(f.bareStartup.evaluate)}, first tap ${ms(f.bareStartup.tap)}`,
    `  guard.request ${f.request.guard.toFixed(1)} µs per call, raw promisified wx.request ${f.request.raw.toFixed(1)} µs: ratio ${requestRatio.toFixed(2)} (${verdict(requestRatio, REQUEST_LIMIT)})`,
    `  tap ${f.tap.guard.toFixed(1)} µs, bare checkSession+send ${f.tap.bare.toFixed(1)} µs, bare + checked detail + one bound ${f.tap.bounded.toFixed(1)} µs: ratio ${tapRatio.toFixed(2)} to the latter (${verdict(tapRatio, TAP_LIMIT)})`,
  ].join('\n')
  return { text, within: startupShare <= STARTUP_LIMIT && requestRatio <= REQUEST_LIMIT && tapRatio <= TAP_LIMIT }
}

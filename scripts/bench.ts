/**
 * npm run bench — CPU per tap on instant fakes, interleaved in one process (median of several rounds):
 * the built guard (miniprogram_dist, as npm installs it), and the guard as WeChat's compiler ships it
 * (ES6→ES5 on, minify on), each against two yardsticks built the same way (scripts/bench-clients.js):
 * the bare "checkSession then send" client, and that client with the detail checked and its waits
 * bounded as the guard must. The yardsticks are plain JS loaded as they are: written in this file they
 * would run through tsx, whose name-keeping wrappers cost the bare client more than its tap does.
 * Then growth over ×10 taps and heap after 50k taps. First, the tap-to-answer latency table in virtual
 * time (simulator/scenarios/latency.ts; `--request-ms=50 --login-ms=100 --check-ms=20` set the round trips), and
 * the figures under --jitless (scripts/bench-jitless-report.ts): startup, guard.request and a tap, each
 * beside its yardstick. It measures and prints; it exits 1 when a --jitless figure is past its limit.
 */
import { join } from 'node:path'
import { createSessionGuard } from '../miniprogram_dist'
import { compiledPackage, PACKAGE_DIR } from './compiled-package'
import { DEFAULT_ROUND_TRIPS, describeLatency, latencyTable, type RoundTrips } from '../simulator/scenarios/latency'
import { describeJitless, measureJitless } from './bench-jitless-report'

const DETAIL = { errMsg: 'getPhoneNumber:ok', iv: 'r7BXXKkLb8qrSNn05n0qiA==', encryptedData: 'A'.repeat(342) + '==' }
const REPLY = { ok: true, data: { phoneNumber: '13800138000' } }

// A real phone-number encryptedData is about this long; the bench checks once that the guard accepts it.

/** A wx whose calls answer at once, as the fastest WeChat could. */
const instantWx = {
  login: (o: { success?: (r: { code: string }) => void }) => o.success?.({ code: 'c' }),
  checkSession: (o: { success?: (r: unknown) => void }) => o.success?.({}),
}
const send = (_payload: Record<string, string>) => Promise.resolve(REPLY)

type Tap = () => Promise<unknown>
type ClientTap = (wx: typeof instantWx, sendPayload: typeof send, detail: typeof DETAIL) => Promise<unknown>
interface Clients {
  guard: Tap
  bare: Tap
  bounded: Tap
}

function guardClient(create = createSessionGuard): Tap {
  const guard = create({ wx: instantWx, send })
  return () => guard.getPhoneNumber(DETAIL)
}

/** The guard made by `create`, and the yardsticks in the file `yardsticks` (as written, or as compiled). */
function clients(create: typeof createSessionGuard, yardsticks: string): Clients {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { bareTap, boundedTap } = require(yardsticks) as { bareTap: ClientTap; boundedTap: ClientTap }
  return { guard: guardClient(create), bare: () => bareTap(instantWx, send, DETAIL), bounded: () => boundedTap(instantWx, send, DETAIL) }
}

function compiledClients(): Clients {
  const dir = compiledPackage()
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const compiled = require(join(dir, PACKAGE_DIR)) as { createSessionGuard: typeof createSessionGuard }
  return clients(compiled.createSessionGuard, join(dir, 'bench-clients.js'))
}

const gc = (globalThis as { gc?: () => void }).gc

async function cpuPerTap(tap: Tap, taps: number): Promise<number> {
  // process.cpuUsage counts V8's collector threads too: collect first, so no client pays for the garbage of the one before.
  if (gc) gc()
  const start = process.cpuUsage()
  for (let i = 0; i < taps; i++) await tap()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / taps
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (us: number) => `${us.toFixed(2)} µs`

/** `--request-ms=50 --login-ms=100 --check-ms=20`: the round trips of the latency table. */
function roundTrips(): RoundTrips {
  const arg = (name: string, fallback: number) => {
    const given = process.argv.find((a) => a.startsWith(`--${name}=`))
    const value = given ? Number(given.slice(name.length + 3)) : fallback
    if (!(value >= 0 && Number.isFinite(value))) throw new Error(`--${name} must be a number of ms ≥ 0`)
    return value
  }
  return { requestMs: arg('request-ms', DEFAULT_ROUND_TRIPS.requestMs), loginMs: arg('login-ms', DEFAULT_ROUND_TRIPS.loginMs), checkSessionMs: arg('check-ms', DEFAULT_ROUND_TRIPS.checkSessionMs) }
}

async function main(): Promise<void> {
  const trips = roundTrips()
  console.log(describeLatency(await latencyTable(trips, createSessionGuard), trips))
  const jitless = describeJitless(measureJitless(join(__dirname, '../miniprogram_dist/index.js')))
  console.log(jitless.text)
  // The limits are regression limits: the figures print in full, and the run then fails.
  if (!jitless.within) process.exitCode = 1
  const served = await createSessionGuard({ wx: instantWx, send }).getPhoneNumber(DETAIL)
  if (served.status !== 'ok') throw new Error(`the bench detail must be served, not ${JSON.stringify(served)}`)
  const ROUNDS = 9
  const TAPS = 20000
  const pairs = [
    { name: 'uncompiled', ...clients(createSessionGuard, join(__dirname, 'bench-clients.js')) },
    { name: 'compiled (ES6→ES5 + minify)', ...compiledClients() },
  ]
  const kinds = ['guard', 'bare', 'bounded'] as const
  for (const pair of pairs) {
    // Warm up every path, so the JIT has seen each before a round counts.
    for (const kind of kinds) await cpuPerTap(pair[kind], TAPS)
  }
  const costs = pairs.map(() => ({ guard: [] as number[], bare: [] as number[], bounded: [] as number[], ratio: [] as number[], boundedRatio: [] as number[] }))
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, pair] of pairs.entries()) {
      const [g, b, bb] = [await cpuPerTap(pair.guard, TAPS), await cpuPerTap(pair.bare, TAPS), await cpuPerTap(pair.bounded, TAPS)]
      costs[i].guard.push(g)
      costs[i].bare.push(b)
      costs[i].bounded.push(bb)
      costs[i].ratio.push(g / b)
      costs[i].boundedRatio.push(g / bb)
    }
  }
  console.log(`With the JIT, CPU per tap (median of ${ROUNDS} rounds of ${TAPS} taps, all six interleaved):`)
  for (const [i, pair] of pairs.entries()) {
    const c = costs[i]
    console.log(`  ${pair.name.padEnd(28)} guard ${fmt(median(c.guard))}   bare checkSession+send ${fmt(median(c.bare))}   ratio ${median(c.ratio).toFixed(2)}`)
    console.log(`  ${''.padEnd(28)} bare + checked detail + one bound ${fmt(median(c.bounded))}   ratio ${median(c.boundedRatio).toFixed(2)}`)
  }

  const small = await cpuPerTap(guardClient(), 5000)
  const large = await cpuPerTap(guardClient(), 50000)
  console.log(`Growth: ${fmt(small)} per tap over 5k taps, ${fmt(large)} per tap over 50k taps (×${(large / small).toFixed(2)}; 1 = linear)`)

  if (!gc) {
    console.log('Heap: run with node --expose-gc to measure (npm run bench does)')
    return
  }
  const heapGuard = guardClient()
  await cpuPerTap(heapGuard, 1000)
  gc()
  const before = process.memoryUsage().heapUsed
  await cpuPerTap(heapGuard, 50000)
  gc()
  const after = process.memoryUsage().heapUsed
  console.log(`Heap: ${(before / 1e6).toFixed(2)} MB before, ${(after / 1e6).toFixed(2)} MB after 50k taps on one guard (Δ ${((after - before) / 1e3).toFixed(0)} kB)`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

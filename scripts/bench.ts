/**
 * npm run bench — CPU per tap on instant fakes, interleaved in one process (median of several rounds):
 * the built guard (miniprogram_dist, as npm installs it) against a bare "checkSession then send"
 * client; and the guard as WeChat's compiler ships it (ES6→ES5 on, minify on) against the bare client
 * compiled the same way. Then growth over ×10 taps and heap after 50k taps. It measures and prints;
 * it asserts nothing.
 */
import { join } from 'node:path'
import { createSessionGuard } from '../miniprogram_dist'
import { compiledPackage, PACKAGE_DIR } from './compiled-package'

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

function bareClient(): Tap {
  return () =>
    new Promise((resolve) => {
      instantWx.checkSession({
        success: () => resolve(send({ code: '', sessionKeyValidFlag: '1', iv: DETAIL.iv, encryptedData: DETAIL.encryptedData })),
      })
    })
}

function guardClient(create = createSessionGuard): Tap {
  const guard = create({ wx: instantWx, send })
  return () => guard.getPhoneNumber(DETAIL)
}

type BareTap = (wx: typeof instantWx, sendPayload: typeof send, detail: typeof DETAIL) => Promise<unknown>

function compiledClients(): { guard: Tap; bare: Tap } {
  const dir = compiledPackage()
  /* eslint-disable @typescript-eslint/no-require-imports */
  const compiled = require(join(dir, PACKAGE_DIR)) as { createSessionGuard: typeof createSessionGuard }
  const bareTap = require(join(dir, 'bare-client.js')) as BareTap
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { guard: guardClient(compiled.createSessionGuard), bare: () => bareTap(instantWx, send, DETAIL) }
}

async function cpuPerTap(tap: Tap, taps: number): Promise<number> {
  const start = process.cpuUsage()
  for (let i = 0; i < taps; i++) await tap()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / taps
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (us: number) => `${us.toFixed(2)} µs`

async function main(): Promise<void> {
  const served = await createSessionGuard({ wx: instantWx, send }).getPhoneNumber(DETAIL)
  if (served.status !== 'ok') throw new Error(`the bench detail must be served, not ${JSON.stringify(served)}`)
  const ROUNDS = 9
  const TAPS = 20000
  const compiled = compiledClients()
  const pairs = [
    { name: 'uncompiled', guard: guardClient(), bare: bareClient(), target: 2 },
    { name: 'compiled (ES6→ES5 + minify)', guard: compiled.guard, bare: compiled.bare, target: 1.5 },
  ]
  for (const pair of pairs) {
    // Warm up every path, so the JIT has seen each before a round counts.
    await cpuPerTap(pair.guard, TAPS)
    await cpuPerTap(pair.bare, TAPS)
  }
  const costs = pairs.map(() => ({ guard: [] as number[], bare: [] as number[], ratio: [] as number[] }))
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, pair] of pairs.entries()) {
      const g = await cpuPerTap(pair.guard, TAPS)
      const b = await cpuPerTap(pair.bare, TAPS)
      costs[i].guard.push(g)
      costs[i].bare.push(b)
      costs[i].ratio.push(g / b)
    }
  }
  console.log(`CPU per tap (median of ${ROUNDS} rounds of ${TAPS} taps, all four interleaved):`)
  for (const [i, pair] of pairs.entries()) {
    const c = costs[i]
    console.log(`  ${pair.name.padEnd(28)} guard ${fmt(median(c.guard))}   bare checkSession+send ${fmt(median(c.bare))}   ratio ${median(c.ratio).toFixed(2)} (target ≤ ${pair.target})`)
  }

  const small = await cpuPerTap(guardClient(), 5000)
  const large = await cpuPerTap(guardClient(), 50000)
  console.log(`Growth: ${fmt(small)} per tap over 5k taps, ${fmt(large)} per tap over 50k taps (×${(large / small).toFixed(2)}; 1 = linear)`)

  const gc = (globalThis as { gc?: () => void }).gc
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

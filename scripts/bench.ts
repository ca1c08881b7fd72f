/**
 * npm run bench — CPU per tap: the built guard against a bare "checkSession then send" client, both
 * on instant fakes, interleaved in one process (median of several rounds); growth over ×10 taps;
 * heap after 50k taps. It measures and prints; it asserts nothing.
 */
import { createSessionGuard } from '../miniprogram_dist'

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

function guardClient(): Tap {
  const guard = createSessionGuard({ wx: instantWx, send })
  return () => guard.getPhoneNumber(DETAIL)
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
  const guard = guardClient()
  const bare = bareClient()
  await cpuPerTap(guard, TAPS) // warm up both, so the JIT has seen each path
  await cpuPerTap(bare, TAPS)
  const ratios: number[] = []
  const guardCosts: number[] = []
  const bareCosts: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const g = await cpuPerTap(guard, TAPS)
    const b = await cpuPerTap(bare, TAPS)
    guardCosts.push(g)
    bareCosts.push(b)
    ratios.push(g / b)
  }
  console.log(`CPU per tap (median of ${ROUNDS} rounds of ${TAPS} taps, interleaved):`)
  console.log(`  guard ${fmt(median(guardCosts))}   bare checkSession+send ${fmt(median(bareCosts))}   ratio ${median(ratios).toFixed(2)} (target ≤ 1.5)`)

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

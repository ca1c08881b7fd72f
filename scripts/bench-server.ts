/**
 * npm run bench:server — soak: 10k real logins on a fresh MemoryStore, then 100k junk login codes,
 * then 10k real logins again. Prints the per-login cost of the first and the last 10k and the heap;
 * the last should stay within 2× of the first. WeChat is an in-process stub (40029 for junk), so what
 * is measured is the companion's own work.
 */
import { randomBytes } from 'node:crypto'
import { createOpenDataHandler, MemoryStore, ServerError, type WeChatApi } from '../server'

const api: WeChatApi = {
  async code2Session(code) {
    if (code.startsWith('junk-')) throw new ServerError('CODE_INVALID', 'WeChat errcode 40029: invalid code', 40029)
    return { openid: `openid-${code}`, sessionKey: randomBytes(16).toString('base64') }
  },
  async getPhoneNumberByCode() {
    throw new ServerError('CODE_INVALID', 'not used here', 40029)
  },
}

const heapMb = () => {
  global.gc?.()
  return (process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1)
}

async function logins(handler: ReturnType<typeof createOpenDataHandler>, prefix: string, count: number): Promise<number> {
  const started = process.hrtime.bigint()
  for (let i = 0; i < count; i++) {
    const { reply } = await handler.login({ code: `${prefix}-${i}` })
    if (prefix !== 'junk' && !reply.ok) throw new Error(`login ${i} failed: ${JSON.stringify(reply)}`)
  }
  return Number(process.hrtime.bigint() - started) / 1000 / count
}

async function main(): Promise<void> {
  const handler = createOpenDataHandler({ appId: 'wxbench', api, store: new MemoryStore() })
  await logins(handler, 'warmup', 2000)
  console.log(`heap at start            ${heapMb()} MB`)
  const first = await logins(handler, 'first', 10_000)
  console.log(`first 10k real logins    ${first.toFixed(1)} µs/login   heap ${heapMb()} MB`)
  const junk = await logins(handler, 'junk', 100_000)
  console.log(`100k junk codes          ${junk.toFixed(1)} µs/code    heap ${heapMb()} MB`)
  const last = await logins(handler, 'last', 10_000)
  console.log(`last 10k real logins     ${last.toFixed(1)} µs/login   heap ${heapMb()} MB`)
  console.log(`last / first             ${(last / first).toFixed(2)}×  (target ≤ 2×)`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

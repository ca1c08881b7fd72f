/** One suite, run against every SessionKeyStore: what the handler relies on. */
import Redis from 'ioredis'
import { MemoryStore, RedisStore, isServerError, type SessionKeyStore, type StoreLimits } from '../../server'
import { describeWithRedis, startRedis, type RunningRedis } from '../support/redis'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function errorOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

function storeContract(make: (limits?: StoreLimits) => SessionKeyStore): void {
  it('returns nothing for an unknown user', async () => {
    expect(await make().get('nobody', Date.now())).toBeUndefined()
  })

  it('keeps the latest key and the one it replaced, with the time of the rotation', async () => {
    const store = make()
    const t = Date.now()
    await store.set('u', 'k1', t)
    expect(await store.get('u', t)).toEqual({ current: 'k1', rotatedAt: t })
    await store.set('u', 'k2', t + 1000)
    expect(await store.get('u', t + 1000)).toEqual({ current: 'k2', previous: 'k1', rotatedAt: t + 1000 })
    await store.set('u', 'k2', t + 2000)
    expect(await store.get('u', t + 2000)).toEqual({ current: 'k2', previous: 'k1', rotatedAt: t + 1000 })
  })

  it('forgets a user on delete', async () => {
    const store = make()
    await store.set('u', 'k1', Date.now())
    await store.delete('u')
    expect(await store.get('u', Date.now())).toBeUndefined()
  })

  it("forgets a user's keys keyTtlMs after their last use", async () => {
    const store = make({ keyTtlMs: 150 })
    await store.set('idle', 'k1', Date.now())
    await sleep(250)
    expect(await store.get('idle', Date.now())).toBeUndefined()
  })

  it('renews the keys on every read, so a user who only sends flag 1 keeps them', async () => {
    const store = make({ keyTtlMs: 300 })
    await store.set('reader', 'k1', Date.now())
    for (let i = 0; i < 4; i++) {
      await sleep(150)
      expect(await store.get('reader', Date.now())).toMatchObject({ current: 'k1' })
    }
  })

  it('lets exactly one of many concurrent claims of a code win', async () => {
    const store = make()
    const wins = await Promise.all(Array.from({ length: 50 }, () => store.claimCode('code-x', 300000, Date.now())))
    expect(wins.filter(Boolean)).toHaveLength(1)
  })

  it('lets a claim go after its ttl', async () => {
    const store = make()
    expect(await store.claimCode('code-y', 50, Date.now())).toBe(true)
    await sleep(80)
    expect(await store.claimCode('code-y', 50, Date.now())).toBe(true)
  })

  it('gives a released claim back, for a code WeChat never consumed', async () => {
    const store = make()
    expect(await store.claimCode('code-z', 300000, Date.now())).toBe(true)
    await store.releaseCode?.('code-z')
    expect(await store.claimCode('code-z', 300000, Date.now())).toBe(true)
    expect(await store.claimCode('code-z', 300000, Date.now())).toBe(false)
  })

  it('refuses new claims past maxClaimedCodes with a typed STORE_FULL error, and takes them again once they expire', async () => {
    const store = make({ maxClaimedCodes: 3 })
    for (const code of ['a', 'b', 'c']) expect(await store.claimCode(code, 100, Date.now())).toBe(true)
    expect(await store.claimCode('a', 100, Date.now())).toBe(false)
    expect(await errorOf(store.claimCode('d', 100, Date.now()))).toMatchObject({ code: 'STORE_FULL' })
    // Claims are counted per ttl window in Redis: at most two windows later every old claim is gone.
    await sleep(250)
    expect(await store.claimCode('d', 100, Date.now())).toBe(true)
  })

  it.each([0, -1, 1.5, NaN, Infinity])('refuses keyTtlMs and maxClaimedCodes of %p when it is made', (value) => {
    expect(() => make({ keyTtlMs: value })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
    expect(() => make({ maxClaimedCodes: value })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
  })
}

describe('MemoryStore', () => {
  storeContract((limits) => new MemoryStore(limits))

  it('keeps no claimed code past its ttl, however many junk codes arrive', async () => {
    const store = new MemoryStore()
    for (let i = 0; i < 10_000; i++) await store.claimCode(`junk-${i}`, 1000, i)
    // At t = 10,000 only the codes claimed in the last second are still remembered.
    await store.claimCode('real', 1000, 10_000)
    expect((store as unknown as { codes: { size: number } }).codes.size).toBeLessThanOrEqual(1001)
  })
})

describeWithRedis()('RedisStore', () => {
  let server: RunningRedis
  let redis: Redis
  beforeAll(async () => {
    server = await startRedis()
    redis = new Redis(server.url, { maxRetriesPerRequest: 2, retryStrategy: (times) => (times > 50 ? null : 50) })
    await redis.ping()
  })
  afterAll(async () => {
    await redis?.quit()
    await server?.stop()
  })
  storeContract((limits) => new RedisStore({ eval: (s, k, a) => redis.eval(s, k.length, ...k, ...a) }, { prefix: `${server.prefix}${Math.random()}:`, ...limits }))
})

describe('RedisStore errors', () => {
  it("are typed STORE_UNAVAILABLE and never carry the command's arguments (a session key among them)", async () => {
    const clientError = Object.assign(new Error('Connection is closed.'), { command: { name: 'eval', args: ['script', '1', 'user:o', 'SECRET-SESSION-KEY=='] } })
    const store = new RedisStore({ eval: () => Promise.reject(clientError) })
    const error = await errorOf(store.set('o', 'SECRET-SESSION-KEY==', 1))
    expect(isServerError(error, 'STORE_UNAVAILABLE')).toBe(true)
    expect(JSON.stringify(error)).not.toContain('SECRET-SESSION-KEY')
    expect(String((error as Error).message) + String((error as Error).stack)).not.toContain('SECRET-SESSION-KEY')
    expect((error as { command?: unknown }).command).toBeUndefined()
  })
})

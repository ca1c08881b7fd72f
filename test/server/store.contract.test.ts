/** The store contract (store-contract.ts), run against MemoryStore and RedisStore on single-node Redis. */
import Redis from 'ioredis'
import { MemoryStore, RedisStore, isServerError } from '../../server'
import { describeWithRedis, startRedis, type RunningRedis } from '../support/redis'
import { errorOf, storeContract } from './store-contract'

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
  storeContract((limits) => new RedisStore({ eval: (s, k, a) => redis.eval(s, k.length, ...k, ...a) }, { prefix: `${server.prefix}${Math.random()}:`, ...limits }), { propertyRuns: 40 })
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

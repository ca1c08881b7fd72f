/**
 * RedisStore's key layout on single-node Redis, as docs/redis.md describes it: hash tags per user
 * and per claim shard, keys written by 0.1 adopted, exchange times from a clock far ahead refused,
 * and the docs' single-node adapter, run as written.
 */
import Redis from 'ioredis'
import { RedisStore, type RedisStoreOptions } from '../../server'
import { docSample, docSampleNames } from '../support/doc-samples'
import { describeWithRedis, freePort, startRedis, type RunningRedis } from '../support/redis'
import { runSample } from '../support/run-sample'
import { errorOf } from './store-contract'

type SingleStore = (url: string, options?: RedisStoreOptions) => { client: Redis; store: RedisStore }

it('docs/redis.md and docs/redis.en.md carry the same two adapters', () => {
  expect(docSampleNames().sort()).toEqual(['redis-cluster-store.js', 'redis-store.js'])
  for (const name of docSampleNames()) expect(() => docSample(name)).not.toThrow()
})

describeWithRedis()('RedisStore keys', () => {
  let server: RunningRedis
  let redis: Redis
  let prefix: string
  const store = (options: RedisStoreOptions = {}) => new RedisStore({ eval: (s, k, a) => redis.eval(s, k.length, ...k, ...a) }, { prefix, ...options })
  beforeAll(async () => {
    server = await startRedis()
    redis = new Redis(server.url, { maxRetriesPerRequest: 1 })
    await redis.ping()
  })
  beforeEach(() => {
    prefix = `${server.prefix}${Math.random().toString(36).slice(2)}:`
  })
  afterAll(async () => {
    await redis?.quit()
    await server?.stop()
  })

  it('tags every key: a user by {openid}, a claimed code and its counters by the code shard, one slot per script', async () => {
    const s = store()
    await s.set('o-1', 'k1', Date.now())
    for (let i = 0; i < 40; i++) await s.claimCode(`code-${i}`, 300_000, Date.now())
    const keys = (await redis.keys(`${prefix}*`)).map((k) => k.slice(prefix.length))
    expect(keys).toContain('keys:{o-1}')
    const claims = keys.filter((k) => k.startsWith('claim:'))
    const counters = keys.filter((k) => k.startsWith('claims:'))
    expect(claims).toHaveLength(40)
    for (const k of [...claims, ...counters]) expect(k).toMatch(/^claims?:\{(0\d|1[0-5])\}:/)
    // A claim's script touches the code and its shard's counter: the same hash tag, so the same slot.
    for (const claim of claims) expect(counters).toContain(`claims:${claim.slice(6, 10)}:${Math.floor(Date.now() / 300_000)}`)
    expect(new Set(claims.map((c) => c.slice(6, 10))).size).toBeGreaterThan(8)
  })

  it("reads a user's keys written by 0.1, moves them to the new key and deletes the old one", async () => {
    const t = Date.now() - 60_000
    await redis.hset(`${prefix}user:o-2`, 'current', 'k1', 'previous', 'k0', 'rotatedAt', String(t))
    await redis.pexpire(`${prefix}user:o-2`, 60_000)
    expect(await store().get('o-2')).toEqual({ current: 'k1', previous: 'k0', previousAt: 0, rotatedAt: t })
    expect(await redis.exists(`${prefix}user:o-2`)).toBe(0)
    expect(await redis.hgetall(`${prefix}keys:{o-2}`)).toEqual({ current: 'k1', previous: 'k0', previousAt: '0', rotatedAt: String(t) })
  })

  it("merges 0.1's key into a login's write by exchange time: the older one becomes previous", async () => {
    const t = Date.now() - 60_000
    await redis.hset(`${prefix}user:o-3`, 'current', 'k1', 'rotatedAt', String(t + 1000))
    await store().set('o-3', 'k2', t)
    // 0.1's key was exchanged later than this (late) write: it stays current.
    expect(await store().get('o-3')).toEqual({ current: 'k1', previous: 'k2', previousAt: t, rotatedAt: t + 1000 })
    expect(await redis.exists(`${prefix}user:o-3`)).toBe(0)
  })

  it('forgets both layouts on delete, and ignores 0.1 keys with legacyKeys: false', async () => {
    await redis.hset(`${prefix}user:o-4`, 'current', 'k1', 'rotatedAt', '1')
    expect(await store({ legacyKeys: false }).get('o-4')).toBeUndefined()
    await store().delete('o-4')
    expect(await redis.exists(`${prefix}user:o-4`)).toBe(0)
    expect(await store().get('o-4')).toBeUndefined()
  })

  it("refuses an exchange time far ahead of Redis's clock with STORE_UNAVAILABLE, and keeps the stored keys", async () => {
    const s = store({ maxClockAheadMs: 5000 })
    const now = Date.now()
    await s.set('o-5', 'k1', now)
    await s.set('o-5', 'k2', now + 1000)
    const error = await errorOf(s.set('o-5', 'k-from-the-future', now + 600_000))
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('clock') })
    expect(await s.get('o-5')).toMatchObject({ current: 'k2', previous: 'k1' })
  })

  describe("the docs' single-node adapter", () => {
    const redisStore = () => runSample(docSample('redis-store.js')).redisStore as SingleStore
    const clients: Redis[] = []
    afterAll(() => clients.filter((c) => c.status !== 'end').forEach((c) => c.disconnect()))

    it('stores and claims on a reachable Redis', async () => {
      const { client, store } = redisStore()(server.url, { prefix })
      clients.push(client)
      await new Promise((resolve) => client.once('ready', resolve))
      await store.set('o-6', 'k1', Date.now())
      expect(await store.get('o-6')).toMatchObject({ current: 'k1' })
      expect(await store.claimCode('c', 300_000, Date.now())).toBe(true)
      expect(await store.claimCode('c', 300_000, Date.now())).toBe(false)
    })

    it('fails at once while Redis is unreachable, and sends nothing once it comes up', async () => {
      const port = await freePort()
      const { client, store } = redisStore()(`redis://127.0.0.1:${port}`, { prefix })
      clients.push(client)
      const started = Date.now()
      expect(await errorOf(store.set('o-7', 'k1', Date.now()))).toMatchObject({ code: 'STORE_UNAVAILABLE' })
      expect(await errorOf(store.claimCode('c-7', 300_000, Date.now()))).toMatchObject({ code: 'STORE_UNAVAILABLE' })
      expect(Date.now() - started).toBeLessThan(500)
      const late = await startRedis(port)
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the adapter did not reconnect within 10 s')), 10_000)
          client.once('ready', () => (clearTimeout(timer), resolve()))
        })
        // Anything queued while Redis was away would be written now, ahead of this read.
        expect(await store.get('o-7')).toBeUndefined()
        expect(await client.keys('*')).toEqual([])
      } finally {
        client.disconnect()
        await late.stop()
      }
    })
  })
})

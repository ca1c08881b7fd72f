/** One suite, run against every SessionKeyStore: what the handler relies on. */
import Redis from 'ioredis'
import { MemoryStore, RedisStore, type SessionKeyStore } from '../../server'
import { describeWithRedis, startRedis, type RunningRedis } from '../support/redis'

function storeContract(make: () => SessionKeyStore): void {
  it('returns nothing for an unknown user', async () => {
    expect(await make().get('nobody')).toBeUndefined()
  })

  it('keeps the latest key and the one it replaced, with the time of the rotation', async () => {
    const store = make()
    await store.set('u', 'k1', 1000)
    expect(await store.get('u')).toEqual({ current: 'k1', rotatedAt: 1000 })
    await store.set('u', 'k2', 2000)
    expect(await store.get('u')).toEqual({ current: 'k2', previous: 'k1', rotatedAt: 2000 })
    await store.set('u', 'k2', 3000)
    expect(await store.get('u')).toEqual({ current: 'k2', previous: 'k1', rotatedAt: 2000 })
  })

  it('forgets a user on delete', async () => {
    const store = make()
    await store.set('u', 'k1', 1)
    await store.delete('u')
    expect(await store.get('u')).toBeUndefined()
  })

  it('lets exactly one of many concurrent claims of a code win', async () => {
    const store = make()
    const wins = await Promise.all(Array.from({ length: 50 }, () => store.claimCode('code-x', 300000, 0)))
    expect(wins.filter(Boolean)).toHaveLength(1)
  })

  it('lets a claim go after its ttl', async () => {
    const store = make()
    expect(await store.claimCode('code-y', 50, 0)).toBe(true)
    await new Promise((r) => setTimeout(r, 80))
    expect(await store.claimCode('code-y', 50, 100)).toBe(true)
  })
}

describe('MemoryStore', () => storeContract(() => new MemoryStore()))

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
  storeContract(() => new RedisStore({ eval: (s, k, a) => redis.eval(s, k.length, ...k, ...a) }, { prefix: `${server.prefix}${Math.random()}:` }))
})

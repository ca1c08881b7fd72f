/** One suite, run against every SessionKeyStore: what the handler relies on. */
import { spawn, type ChildProcess } from 'node:child_process'
import Redis from 'ioredis'
import { MemoryStore, RedisStore, type SessionKeyStore } from '../../server'

let redisServer: ChildProcess
let redis: Redis
const port = 20000 + Math.floor(Math.random() * 20000)

beforeAll(async () => {
  redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  redis = new Redis({ host: '127.0.0.1', port, retryStrategy: (times) => (times > 50 ? null : 50) })
  await redis.ping()
})

afterAll(async () => {
  await redis.quit()
  redisServer.kill()
})

const stores: [string, () => SessionKeyStore][] = [
  ['MemoryStore', () => new MemoryStore()],
  ['RedisStore', () => new RedisStore({ eval: (s, k, a) => redis.eval(s, k.length, ...k, ...a) }, { prefix: `t${Math.random()}:` })],
]

describe.each(stores)('%s', (_name, make) => {
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
})

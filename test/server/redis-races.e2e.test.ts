/**
 * Two companion processes sharing a real redis-server; process 1 reaches Redis through a link the
 * test makes slow or breaks. Two devices of one user log in: WeChat answers key1's exchange, then
 * key2's. Whatever happens to key1's write — it lands late, or fails, is reported failed and is
 * replayed by the client library when the link heals — key2 stays current: data sealed with it
 * opens on both processes with no grace for the previous key.
 */
import Redis from 'ioredis'
import { systemClock } from '../../miniprogram_npm_src/primitives/clock'
import { FakeWeChatApi } from '../../simulator/http/fake-wechat-api'
import { APP_ID, OPENID, WeChatModel } from '../../simulator/model/wechat'
import type { RedisStore as RedisStoreType } from '../../server'
import { describeWithRedis, startRedis, type RunningRedis } from '../support/redis'
import { startLink, type Link } from '../support/tcp-proxy'
import { docSample } from '../support/doc-samples'
import { startCompanions } from './http-world'

// The built companion, as the two processes run it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RedisStore } = require('../../server_dist') as { RedisStore: typeof RedisStoreType }

const SECRET = 'app-secret'

interface World {
  wechat: WeChatModel
  link: Link
  post(process: 0 | 1, path: string, body: unknown): Promise<Record<string, unknown>>
  /** What Redis holds for the user, read with the companion's own store. */
  stored(): Promise<unknown>
  stop(): Promise<void>
}

async function startWorld(redis: RunningRedis, adapterSource: string | undefined, env: Record<string, string>): Promise<World> {
  const wechat = new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, systemClock, (_l, fn) => setTimeout(fn, 1), true)
  const fake = new FakeWeChatApi(wechat, APP_ID, SECRET)
  const base = await fake.start()
  const port = Number(new URL(redis.url).port)
  const link = await startLink(port)
  // Each world its own keys: the model numbers its codes from 1 again.
  const prefix = `${redis.prefix}${Math.random().toString(36).slice(2)}:`
  const common = { WECHAT_BASE_URL: base, APP_ID, APP_SECRET: SECRET, REDIS_PREFIX: prefix, PREVIOUS_KEY_GRACE_MS: '0', ...env, ...(adapterSource ? { REDIS_ADAPTER: adapterSource } : {}) }
  const companions = await startCompanions([{ ...common, REDIS_URL: link.url }, { ...common, REDIS_URL: redis.url }]).catch(async (error) => {
    await link.close()
    await fake.stop()
    throw error
  })
  const reader = new Redis(redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true })
  await reader.connect()
  const store = new RedisStore({ eval: (s, k, a) => reader.eval(s, k.length, ...k, ...a) }, { prefix })
  return {
    wechat,
    link,
    async post(index, path, body) {
      const response = await fetch(companions[index].url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-openid': OPENID },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      })
      return (await response.json()) as Record<string, unknown>
    },
    stored: () => store.get(OPENID),
    async stop() {
      await Promise.all(companions.map((c) => c.stop()))
      await link.close()
      await reader.quit()
      await fake.stop()
    },
  }
}

const login = (wechat: WeChatModel) => new Promise<string>((resolve) => wechat.wx.login({ success: (r) => resolve(r.code as string) }))

/** Two logins of one user, on two devices: WeChat mints key1 then key2; key2 is the one it seals with. */
async function twoLogins(world: World) {
  const code1 = await login(world.wechat)
  const key1 = world.wechat.key
  const code2 = await login(world.wechat)
  const key2 = world.wechat.key
  expect(key2).not.toBe(key1)
  return { code1, key1, code2, key2 }
}

/** Data sealed with WeChat's key now (key2), opened with the stored key by each process. */
async function opensOnBoth(world: World): Promise<unknown[]> {
  const replies = []
  for (const process of [0, 1] as const) {
    const { detail } = world.wechat.consent(`tap-${process}`)
    const reply = await world.post(process, '/open-data', { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData })
    replies.push(reply.ok === true ? 'opened' : reply.reason)
  }
  return replies
}

/** Process 1 keeps talking to Redis: any command it still had queued was sent before this one answered. */
async function untilProcess1ReachesRedis(world: World): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const { detail } = world.wechat.consent('probe')
    const reply = await world.post(0, '/open-data', { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData })
    if (reply.reason !== 'STORE_UNAVAILABLE') return
    if (Date.now() > deadline) throw new Error('process 1 did not reach Redis again within 10 s')
    await new Promise((r) => setTimeout(r, 100))
  }
}

describeWithRedis()('two processes sharing Redis, one on a bad link', () => {
  let redis: RunningRedis
  let world: World | undefined
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterEach(async () => {
    await world?.stop()
    world = undefined
  })
  afterAll(async () => {
    await redis?.stop()
  })

  it('a slower write of the older key lands after the newer one and changes nothing: key2 stays current', async () => {
    world = await startWorld(redis, undefined, {})
    const { code1, key1, code2, key2 } = await twoLogins(world)
    world.link.arm(key1, { kind: 'delay', ms: 1500 })
    const first = world.post(0, '/login', { code: code1 })
    await world.link.tripped(5000)
    // WeChat has answered key1's exchange; its write is on the slow link. Key2's is exchanged and stored now.
    expect(await world.post(1, '/login', { code: code2 })).toMatchObject({ ok: true })
    expect(await first).toMatchObject({ ok: true })
    expect(await world.stored()).toMatchObject({ current: key2, previous: key1 })
    expect(await opensOnBoth(world)).toEqual(['opened', 'opened'])
  })

  it.each([
    ['a plain ioredis client (offline queue on, unanswered commands resent)', false],
    ["the docs' adapter", true],
  ])('a write reported failed and replayed when the link heals cannot make key1 current, with %s', async (_label, safe) => {
    world = await startWorld(redis, safe ? docSample('redis-store.js') : undefined, { STORE_TIMEOUT_MS: '400' })
    const { code1, key1, code2, key2 } = await twoLogins(world)
    world.link.arm(key1, { kind: 'hold' })
    // Process 1 loses Redis in the middle of the login: it says so.
    expect(await world.post(0, '/login', { code: code1 })).toMatchObject({ ok: false, reason: 'STORE_UNAVAILABLE' })
    expect(await world.post(1, '/login', { code: code2 })).toMatchObject({ ok: true })
    // The link heals; a client that kept the unanswered command sends it again now.
    world.link.cut()
    await untilProcess1ReachesRedis(world)
    // The plain client did replay the write (the race is real); the docs' adapter never sends it again.
    if (safe) expect(world.link.deliveredSinceCut()).not.toContain(key1)
    else expect(world.link.deliveredSinceCut()).toContain(key1)
    expect(await world.stored()).toMatchObject({ current: key2 })
    expect(await opensOnBoth(world)).toEqual(['opened', 'opened'])
  })
})

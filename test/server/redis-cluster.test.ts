/**
 * RedisStore on a real local 3-master Redis Cluster, through the docs' `ioredis.Cluster` adapter:
 * the store contract, two companion processes over HTTP, and claims spread over every master.
 */
import type { Cluster } from 'ioredis'
import { systemClock } from '../../miniprogram_npm_src/primitives/clock'
import type { RedisStore, RedisStoreOptions } from '../../server'
import { FakeWeChatApi } from '../../simulator/http/fake-wechat-api'
import { APP_ID, OPENID, WeChatModel } from '../../simulator/model/wechat'
import { docSample } from '../support/doc-samples'
import { describeWithCluster, startRedisCluster, type RunningCluster } from '../support/redis-cluster'
import { runSample } from '../support/run-sample'
import { startCompanions } from './http-world'
import { storeContract } from './store-contract'

type ClusterStore = (nodes: RunningCluster['nodes'], options?: RedisStoreOptions) => { client: Cluster; store: RedisStore }

const ready = (client: Cluster) =>
  new Promise<void>((resolve, reject) => {
    if (client.status === 'ready') return resolve()
    const timer = setTimeout(() => reject(new Error('the cluster client was not ready within 10 s')), 10_000)
    client.once('ready', () => (clearTimeout(timer), resolve()))
  })

describeWithCluster()('RedisStore on a 3-master Redis Cluster', () => {
  let cluster: RunningCluster
  let clusterStore: ClusterStore
  const clients: Cluster[] = []
  const make = async (options: RedisStoreOptions = {}) => {
    const made = clusterStore(cluster.nodes, { prefix: `${cluster.prefix}${Math.random().toString(36).slice(2)}:`, ...options })
    clients.push(made.client)
    await ready(made.client)
    return made
  }
  let shared: ReturnType<ClusterStore>
  beforeAll(async () => {
    cluster = await startRedisCluster()
    clusterStore = runSample(docSample('redis-cluster-store.js')).clusterStore as ClusterStore
    shared = await make()
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())))
    await cluster?.stop()
  })

  describe('the store contract', () => {
    storeContract((limits) => new (shared.store.constructor as typeof RedisStore)({ eval: (s, k, a) => shared.client.eval(s, k.length, ...k, ...a) }, { prefix: `${cluster.prefix}${Math.random().toString(36).slice(2)}:`, ...limits }), { propertyRuns: 25 })
  })

  it('spreads claimed codes over every master, each claim one slot', async () => {
    const { store } = await make({ prefix: `${cluster.prefix}spread:` })
    for (let i = 0; i < 64; i++) expect(await store.claimCode(`spread-${i}`, 300_000, Date.now())).toBe(true)
    const masters = shared.client.nodes('master')
    expect(masters).toHaveLength(3)
    const perMaster = await Promise.all(masters.map(async (node) => (await node.keys(`${cluster.prefix}spread:claim:*`)).length))
    expect(perMaster.reduce((a, b) => a + b, 0)).toBe(64)
    for (const count of perMaster) expect(count).toBeGreaterThan(0)
  })

  it('serves a login on one companion process and a flag-1 tap on another', async () => {
    const wechat = new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, systemClock, (_l, fn) => setTimeout(fn, 1), false)
    const fake = new FakeWeChatApi(wechat, APP_ID, 'app-secret')
    const base = await fake.start()
    const env = { WECHAT_BASE_URL: base, APP_ID, APP_SECRET: 'app-secret', REDIS_ADAPTER: docSample('redis-cluster-store.js'), REDIS_CLUSTER_NODES: JSON.stringify(cluster.nodes), REDIS_PREFIX: `${cluster.prefix}http:` }
    let companions: Awaited<ReturnType<typeof startCompanions>> = []
    try {
      companions = await startCompanions([env, env])
      const post = async (index: number, path: string, body: unknown) =>
        (await (await fetch(companions[index].url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-openid': OPENID }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) })).json()) as Record<string, unknown>
      const code = await new Promise<string>((resolve) => wechat.wx.login({ success: (r) => resolve(r.code as string) }))
      expect(await post(0, '/login', { code })).toMatchObject({ ok: true })
      const { detail } = wechat.consent('tap')
      expect(await post(1, '/open-data', { code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData })).toMatchObject({ ok: true })
      // The same code again, on the other process: claimed once across the cluster.
      expect(await post(1, '/login', { code })).toMatchObject({ ok: false, reason: 'CODE_REJECTED' })
    } finally {
      await Promise.all(companions.map((c) => c.stop()))
      await fake.stop()
    }
  })
})

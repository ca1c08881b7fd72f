/**
 * Three platforms' companions sharing one RedisStore on a real 3-master Redis Cluster: the same
 * openid logs in on WeChat, Douyin and Baidu, each platform's key stays its own (under its namespace,
 * inside the hash tag), every script runs in one slot (no CROSSSLOT), and each opens its own data.
 */
import type { Cluster } from 'ioredis'
import { KIT_PLATFORMS } from '../../conformance/platforms/all-platforms'
import type { PlatformName } from '../../conformance/platforms/kit-platform'
import { servePlatformApi } from '../../conformance/platforms/platform-api-server'
import { FakeWeChat } from '../../conformance/wechat/fake-wechat'
import { createOpenDataHandler, createWeChatApi, type RedisStore, type RedisStoreOptions } from '../../server'
import { docSample } from '../support/doc-samples'
import { describeWithCluster, startRedisCluster, type RunningCluster } from '../support/redis-cluster'
import { runSample } from '../support/run-sample'

type ClusterStore = (nodes: RunningCluster['nodes'], options?: RedisStoreOptions) => { client: Cluster; store: RedisStore }
const SECRET = 'platform-secret'

describeWithCluster()('platforms sharing a RedisStore on Redis Cluster', () => {
  let cluster: RunningCluster
  let made: ReturnType<ClusterStore>
  const stops: (() => Promise<void>)[] = []

  beforeAll(async () => {
    cluster = await startRedisCluster()
    const clusterStore = runSample(docSample('redis-cluster-store.js')).clusterStore as ClusterStore
    made = clusterStore(cluster.nodes, { prefix: `${cluster.prefix}platforms:` })
    await new Promise<void>((resolve, reject) => {
      if (made.client.status === 'ready') return resolve()
      const timer = setTimeout(() => reject(new Error('the cluster client was not ready within 10 s')), 10_000)
      made.client.once('ready', () => (clearTimeout(timer), resolve()))
    })
  })
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()))
    await made?.client.quit().catch(() => made.client.disconnect())
    await cluster?.stop()
  })

  async function companionOn(platform: PlatformName) {
    const profile = KIT_PLATFORMS[platform]
    const wechat = new FakeWeChat({ appId: profile.defaultAppId, secret: SECRET, newSessionKey: profile.newSessionKey })
    let base: string
    if (profile.answer) {
      const api = await servePlatformApi(profile, wechat)
      stops.push(() => api.stop().then(() => wechat.stop()))
      base = api.base
    } else {
      base = await wechat.start(0)
      stops.push(() => wechat.stop())
    }
    const api = createWeChatApi({ platform, appId: profile.defaultAppId, appSecret: SECRET, baseUrl: base, timeoutMs: 5000 })
    return { profile, wechat, handler: createOpenDataHandler({ platform, appId: profile.defaultAppId, api, store: made.store, previousKeyGraceMs: 0 }) }
  }

  it('keeps each platform’s key of the same openid apart, one slot per script, each opening its own data', async () => {
    const openid = `o-shared-${Date.now()}`
    const all = await Promise.all((['weixin', 'toutiao', 'baidu'] as const).map(companionOn))
    const keys: string[] = []
    for (const { wechat, handler } of all) {
      const { code, sessionKey } = wechat.issueCode(openid)
      expect((await handler.login({ code })).reply).toEqual({ ok: true })
      keys.push(sessionKey)
    }
    expect(await made.store.get(openid)).toMatchObject({ current: keys[0] })
    expect(await made.store.get(`toutiao:${openid}`)).toMatchObject({ current: keys[1] })
    expect(await made.store.get(`baidu:${openid}`)).toMatchObject({ current: keys[2] })
    for (const [i, { profile, handler }] of all.entries()) {
      const data = { phoneNumber: `1380013800${i}`, watermark: { appid: profile.defaultAppId, timestamp: Math.floor(Date.now() / 1000) } }
      const reply = (await handler.openData({ sessionKeyValidFlag: '1', code: '', ...profile.seal(keys[i], data) }, openid)).reply
      expect(reply).toEqual({ ok: true, data: { phoneNumber: `1380013800${i}` }, source: 'decrypt' })
    }
  })
})

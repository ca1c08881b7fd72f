import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { systemClock } from '../../miniprogram_npm_src/primitives/clock'
import { APP_ID, WeChatModel, type Later, type Policies } from '../../simulator/model/wechat'
import { FakeWeChatApi } from '../../simulator/http/fake-wechat-api'
import { freePort, startRedis } from '../support/redis'

/**
 * A real-time world over HTTP on loopback: the WeChat model, a fake WeChat API answering from it,
 * and the built server companion in one process (memory store) or two (sharing one Redis).
 */
export interface HttpWorld {
  wechat: WeChatModel
  fake: FakeWeChatApi
  urls: string[]
  /** The companion forgets the user's keys (a restart, a flushed cache). */
  forget(): Promise<void>
  stop(): Promise<void>
}

export const SECRET = 'app-secret'
export const OPENID = 'openid-of-the-user'

/** One built companion as its own process on a free loopback port (see companion-process.js for its env). */
export async function startCompanion(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  const port = await freePort()
  const child = fork(join(__dirname, 'companion-process.js'), [], { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'inherit' })
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('exit', (code) => reject(new Error(`companion exited with ${code}`)))
  })
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
      child.once('exit', () => (clearTimeout(kill), resolve()))
      child.send('stop')
    })
  return { child, url: `http://127.0.0.1:${port}`, stop }
}

/** Several companions at once; if one fails to start, the others are stopped before the error goes up. */
export async function startCompanions(envs: Record<string, string>[]): Promise<Awaited<ReturnType<typeof startCompanion>>[]> {
  const started = await Promise.allSettled(envs.map(startCompanion))
  const failed = started.find((s) => s.status === 'rejected')
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  if (failed) {
    await Promise.all(running.map((c) => c.stop()))
    throw failed.reason
  }
  return running
}

export async function startHttpWorld(
  mode: 'memory' | 'redis',
  policies: Policies = { rotation: 'always', expiredConsent: 'expired-key' },
  later: Later = (_l, fn) => setTimeout(fn, 2),
  loggedIn = true,
  extraEnv: Record<string, string> = {},
): Promise<HttpWorld> {
  const wechat = new WeChatModel(policies, systemClock, later, loggedIn)
  const fake = new FakeWeChatApi(wechat, APP_ID, SECRET)
  const base = await fake.start()
  const env = { WECHAT_BASE_URL: base, APP_ID, APP_SECRET: SECRET, ...extraEnv }
  const redis = mode === 'redis' ? await startRedis() : undefined
  const companions = await Promise.all(
    (mode === 'redis' ? [1, 2] : [1]).map(() => startCompanion(redis ? { ...env, REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix } : env)),
  )
  return {
    wechat,
    fake,
    urls: companions.map((c) => c.url),
    async forget() {
      // Every process forgets: with Redis one delete is seen by all; in memory there is one process.
      await fetch(companions[0].url + '/forget', { method: 'POST' })
    },
    async stop() {
      await Promise.all(companions.map((c) => new Promise((r) => (c.child.once('exit', r), c.child.send('stop')))))
      await redis?.stop()
      await fake.stop()
    },
  }
}

/** POSTs JSON round robin across the companions: one user's requests land on different processes. */
export function roundRobinPost(world: HttpWorld) {
  let next = 0
  return async (path: string, body: unknown): Promise<unknown> => {
    const url = world.urls[next++ % world.urls.length] + path
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-openid': OPENID }, body: JSON.stringify(body) })
    return response.json()
  }
}

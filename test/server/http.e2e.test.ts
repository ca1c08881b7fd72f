/**
 * End to end over real HTTP on loopback: the built client guard → the built
 * server companion → a fake WeChat API answering from the model. Once with one
 * in-memory process, once with two processes sharing a real redis-server.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { APP_ID, WeChatModel } from '../model/wechat'
import { systemClock } from '../../miniprogram_npm_src/clock'
import { FakeWeChatApi } from './fake-wechat-api'
import type { SessionGuard, SessionGuardOptions } from '../../miniprogram_npm_src'

// The package as users get it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSessionGuard } = require('../../miniprogram_dist') as { createSessionGuard: (o: SessionGuardOptions) => SessionGuard }

const SECRET = 'app-secret'
const OPENID = 'openid-of-the-user'

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function startCompanion(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort()
  const child = fork(join(__dirname, 'companion-process.js'), [], { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'inherit' })
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('exit', (code) => reject(new Error(`companion exited with ${code}`)))
  })
  return { child, url: `http://127.0.0.1:${port}` }
}

async function startRedis(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = require('node:net').connect(port, '127.0.0.1') // eslint-disable-line @typescript-eslint/no-require-imports
      socket.once('connect', () => (socket.end(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
    if (up) return { child, port }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('redis-server did not start: .ci/run installs it (apt-get install redis-server)')
}

type Setup = { wechat: WeChatModel; fake: FakeWeChatApi; urls: string[]; stop: () => Promise<void> }

async function world(mode: 'memory' | 'redis'): Promise<Setup> {
  const wechat = new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, systemClock, (_l, fn) => setTimeout(fn, 2), true)
  const fake = new FakeWeChatApi(wechat, APP_ID, SECRET)
  const base = await fake.start()
  const env = { WECHAT_BASE_URL: base, APP_ID, APP_SECRET: SECRET }
  const redis = mode === 'redis' ? await startRedis() : undefined
  const companions = await Promise.all(
    (mode === 'redis' ? [1, 2] : [1]).map(() => startCompanion(redis ? { ...env, REDIS_PORT: String(redis.port) } : env)),
  )
  return {
    wechat,
    fake,
    urls: companions.map((c) => c.url),
    async stop() {
      await Promise.all(companions.map((c) => new Promise((r) => (c.child.once('exit', r), c.child.send('stop')))))
      redis?.child.kill()
      await fake.stop()
    },
  }
}

function client(setup: Setup) {
  let next = 0
  // Round robin: one user's requests land on different processes.
  const post = async (path: string, body: unknown) => {
    const url = setup.urls[next++ % setup.urls.length] + path
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-openid': OPENID }, body: JSON.stringify(body) })
    return response.json()
  }
  const guard = createSessionGuard({
    wx: setup.wechat.wx,
    send: (payload) => post('/open-data', payload),
    sendLogin: (code) => post('/login', { code }),
    timeout: 8000,
  })
  const tap = () => guard.getPhoneNumber(setup.wechat.consent(`t${next}`).detail)
  return { guard, tap, forget: () => fetch(setup.urls[0] + '/forget', { method: 'POST' }) }
}

describe.each(['memory', 'redis'] as const)('over HTTP with the %s store', (mode) => {
  let setup: Setup
  beforeEach(async () => {
    setup = await world(mode)
  })
  afterEach(() => setup.stop())

  function codesExchangedOnce() {
    expect(setup.fake.calls.filter((c) => c === '/sns/jscode2session')).toHaveLength(setup.wechat.codes.size)
    expect(setup.wechat.codeErrors).toBe(0)
  }

  it('serves a burst of taps after a first-launch login, each code exchanged once', async () => {
    const { guard, tap } = client(setup)
    setup.wechat.expire()
    expect(await guard.prepare()).toEqual({ status: 'ok', loggedIn: true })
    const outcomes = await Promise.all([tap(), tap(), tap(), tap(), tap(), tap()])
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok'])
    expect(setup.wechat.limitedCalls).toBe(0)
    codesExchangedOnce()
  })

  it('decrypts data sealed with the expired key through the previous-key grace, without a retry', async () => {
    const { guard, tap } = client(setup)
    setup.wechat.expire()
    await guard.prepare()
    setup.wechat.expire()
    const outcome = await tap()
    expect(outcome).toMatchObject({ status: 'ok' })
    codesExchangedOnce()
  })

  it('recovers when the server lost the key: at worst one retry, then the next tap succeeds', async () => {
    const { guard, tap, forget } = client(setup)
    setup.wechat.expire()
    await guard.prepare()
    await forget()
    const first = await tap()
    expect(['ok', 'retry']).toContain(first.status)
    expect(await tap()).toMatchObject({ status: 'ok' })
    codesExchangedOnce()
  })
})

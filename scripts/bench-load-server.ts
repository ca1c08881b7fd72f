/**
 * One server process of `npm run bench:load` (a node:cluster worker): the companion on MemoryStore or
 * on the shared Redis, or the bare node:crypto decrypt server it is compared with. It tells the
 * primary when it listens, answers `cpu` with its process.cpuUsage(), and exits on `stop` (so a
 * `--cpu-prof` profile gets written).
 */
import { createDecipheriv } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import Redis from 'ioredis'
import type { SessionKeyStore } from '../server'
import { BENCH_APP_ID, BENCH_APP_SECRET, BENCH_SESSION_SECRET, sessionKeyOf } from './bench-load-users'

export type ServerRole = 'bare' | 'companion-memory' | 'companion-redis'

export interface ServerEnv {
  BENCH_ROLE: ServerRole
  BENCH_PORT: string
  BENCH_WECHAT_URL: string
  BENCH_REDIS_URL?: string
  BENCH_REDIS_PREFIX?: string
  /** `dist`: the built server_dist/index.js, what users run; `source`: server/ through tsx. */
  BENCH_FROM: 'dist' | 'source'
}

type Companion = typeof import('../server')

/** A path in a variable: the type checker does not need server_dist to exist. */
function loadCompanion(from: ServerEnv['BENCH_FROM']): Promise<Companion> {
  const path = from === 'dist' ? '../server_dist/index.js' : '../server'
  return import(path) as Promise<Companion>
}

/** What one would write by hand: read the body, parse it, decrypt with the user's key, answer JSON. */
function bareServer() {
  const keys = new Map<number, Buffer>()
  const keyOf = (user: number) => {
    let key = keys.get(user)
    if (!key) keys.set(user, (key = Buffer.from(sessionKeyOf(user), 'base64')))
    return key
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      let reply: object
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { user: number; iv: string; encryptedData: string }
        const decipher = createDecipheriv('aes-128-cbc', keyOf(body.user), Buffer.from(body.iv, 'base64'))
        const data = JSON.parse(Buffer.concat([decipher.update(Buffer.from(body.encryptedData, 'base64')), decipher.final()]).toString('utf8'))
        reply = data.watermark?.appid === BENCH_APP_ID ? { ok: true, data } : { ok: false, reason: 'WATERMARK_MISMATCH' }
      } catch {
        reply = { ok: false, reason: 'DECRYPT_FAILED' }
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply))
    })
  }
}

async function redisStore(env: ServerEnv, { RedisStore }: Companion): Promise<{ store: SessionKeyStore; close: () => void }> {
  // No offline queue and a command timeout: a command is never replayed behind the companion's back.
  const client = new Redis(env.BENCH_REDIS_URL as string, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000, lazyConnect: true })
  await client.connect()
  const store = new RedisStore({ eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args) }, { prefix: env.BENCH_REDIS_PREFIX })
  return { store, close: () => client.disconnect() }
}

export async function runServerProcess(env: ServerEnv): Promise<void> {
  let closeStore = () => undefined as void
  let listener: (req: IncomingMessage, res: ServerResponse) => void
  if (env.BENCH_ROLE === 'bare') {
    listener = bareServer()
  } else {
    const companionModule = await loadCompanion(env.BENCH_FROM)
    const { createHttpHandler, createOpenDataHandler, createWeChatApi, MemoryStore } = companionModule
    let store: SessionKeyStore = new MemoryStore()
    if (env.BENCH_ROLE === 'companion-redis') ({ store, close: closeStore } = await redisStore(env, companionModule))
    const api = createWeChatApi({ appId: BENCH_APP_ID, appSecret: BENCH_APP_SECRET, baseUrl: env.BENCH_WECHAT_URL })
    const companion = createHttpHandler(createOpenDataHandler({ appId: BENCH_APP_ID, api, store }), { sessionSecret: BENCH_SESSION_SECRET })
    listener = (req, res) => void companion(req, res)
  }
  const server = createServer({ keepAliveTimeout: 30_000 }, listener)
  server.listen(Number(env.BENCH_PORT), '127.0.0.1', () => process.send?.({ listening: true }))
  process.on('message', (message: { cmd?: string }) => {
    if (message.cmd === 'cpu') process.send?.({ cpu: process.cpuUsage() })
    if (message.cmd === 'stop') {
      server.closeAllConnections()
      server.close()
      closeStore()
      process.exit(0)
    }
  })
  // The primary went away: never outlive it.
  process.on('disconnect', () => process.exit(0))
}

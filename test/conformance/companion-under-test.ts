/**
 * The built companion as a backend under test for the conformance kit: mounted on node:http, Express
 * or Koa, pointed at the kit's fake WeChat API, and optionally broken by wrapping its real parts
 * (its store, its handler, its identity options, its request bodies).
 */
import express from 'express'
import Koa from 'koa'
import bodyParser from 'koa-bodyparser'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEFAULTS } from '../../conformance/cli/args'
import { runKit, type KitRun } from '../../conformance/cli/run-kit'
import type { HttpAdapterOptions, OpenDataHandler, SessionKeyStore, WeChatApi } from '../../server'
import { listen } from '../server/http-listen'

// The package as users get it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const companion = require('../../server_dist') as typeof import('../../server')

export const SESSION_SECRET = 'a-session-secret-of-at-least-32-chars'
export type Mount = 'node:http' | 'express' | 'koa'

export interface Breakage {
  store?: (inner: SessionKeyStore) => SessionKeyStore
  /** What the companion calls WeChat with. */
  api?: (inner: WeChatApi) => WeChatApi
  handler?: (inner: OpenDataHandler) => OpenDataHandler
  /** Identity options that replace `{ sessionSecret }`. */
  identity?: (lifetimeSeconds: number) => Pick<HttpAdapterOptions, 'identify' | 'onLogin'>
  /** Options of createHttpHandler beside the identity ones (its body limit, for one). */
  http?: Partial<HttpAdapterOptions>
  /** What the server makes of a parsed body before the companion sees it. */
  body?: (body: Record<string, unknown>) => Record<string, unknown>
}

export interface CompanionSetup {
  mount: Mount
  wechatPort: number
  tokenLifetimeSeconds: number
  /** The companion's bound on each WeChat call (its default is 5000 ms). */
  wechatTimeoutMs?: number
  breakage?: Breakage
}

/** A free loopback port for the kit's fake WeChat: the companion must know it before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function readRaw(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function startCompanion(setup: CompanionSetup): Promise<{ url: string; close(): Promise<void> }> {
  const { breakage = {} } = setup
  const appId = DEFAULTS.appId
  const baseUrl = `http://127.0.0.1:${setup.wechatPort}`
  const memory = new companion.MemoryStore()
  const store = breakage.store ? breakage.store(memory) : memory
  const realApi = companion.createWeChatApi({ appId, appSecret: DEFAULTS.secret, baseUrl, timeoutMs: setup.wechatTimeoutMs })
  const api = breakage.api ? breakage.api(realApi) : realApi
  const real = companion.createOpenDataHandler({ appId, api, store })
  const handler = breakage.handler ? breakage.handler(real) : real
  const identity = breakage.identity ? breakage.identity(setup.tokenLifetimeSeconds) : { sessionSecret: SESSION_SECRET, sessionLifetimeSeconds: setup.tokenLifetimeSeconds }
  const http = companion.createHttpHandler(handler, { ...breakage.http, ...identity })
  const mangle = breakage.body
  const mangled = (body: unknown) => (mangle && body && typeof body === 'object' ? mangle(body as Record<string, unknown>) : body)

  if (setup.mount === 'node:http') {
    const running = await listen((req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
      if (!mangle) return void http(req, res)
      void readRaw(req).then((text) => {
        req.body = mangled(JSON.parse(text || 'null'))
        return http(req, res)
      })
    })
    return { url: running.base, close: running.close }
  }
  if (setup.mount === 'express') {
    const app = express()
    app.use(express.json())
    app.use((req, _res, next) => {
      req.body = mangled(req.body)
      next()
    })
    app.use('/', http)
    const running = await listen(app)
    return { url: running.base, close: running.close }
  }
  const app = new Koa()
  app.use(bodyParser())
  app.use(async (ctx, next) => {
    ctx.request.body = mangled(ctx.request.body)
    await next()
  })
  app.use(http.koa)
  const running = await listen(app.callback())
  return { url: running.base, close: running.close }
}

export interface KitReport extends KitRun {
  output: string
  failed: string[]
}

/** Runs the kit's own CLI entry (in process) against a backend, as `npx session-guard-conformance` would. */
export async function runKitAgainst(url: string, wechatPort: number, tokenLifetimeSeconds: number, extra: string[] = []): Promise<KitReport> {
  let output = ''
  const run = await runKit(['--server', url, '--wechat-port', String(wechatPort), '--token-lifetime', String(tokenLifetimeSeconds), ...extra], {
    out: (text) => (output += text + '\n'),
    err: () => undefined,
  })
  const failed = (run.results || []).filter((r) => r.status !== 'pass').map((r) => r.id)
  return { ...run, output, failed }
}

/** Starts the companion (as set up), runs the kit against it (with `extra` arguments, e.g. --strict), stops it. */
export async function kitAgainstCompanion(setup: Omit<CompanionSetup, 'wechatPort'>, extra: string[] = []): Promise<KitReport> {
  const wechatPort = await freePort()
  const server = await startCompanion({ ...setup, wechatPort })
  try {
    return await runKitAgainst(server.url, wechatPort, setup.tokenLifetimeSeconds, extra)
  } finally {
    await server.close()
  }
}

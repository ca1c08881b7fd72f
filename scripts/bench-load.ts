/**
 * npm run bench:load — the companion under load over loopback HTTP, next to a bare node:crypto decrypt
 * server measured in the same run, interleaved, repeated; the table shows medians and the spread.
 *
 *   Server processes: node:cluster workers (scripts/bench-load-server.ts). `companion-memory` is one
 *   process on MemoryStore (the companion's own cost); `companion-redis` runs on 1 and 2 processes
 *   sharing a throwaway redis-server on loopback (skipped, with one line, when redis-server is not on PATH).
 *   WeChat: the simulator's FakeWeChatApi on loopback, answering jscode2session for many users.
 *   Clients: `--clients` (200) loopback clients on one keep-alive http.Agent, each one user.
 *   Phases per server start: a cold burst (every client's first login at once), a warm-up, mixed
 *   traffic (15% login, 15% flag '0', 70% flag '1'), flag '1' only. Each phase stops at `--requests`
 *   or `--cap-ms`, whichever comes first. CPU per request is the server processes' process.cpuUsage().
 *
 *   The companion measured is the built server_dist/index.js (what users run; `npm run bench:load`
 *   builds it first); `--from=source` runs server/ through tsx instead (its keepNames wrapper costs
 *   every named closure a defineProperty, so it reads slower than what ships).
 * Options: --clients=200 --requests=10000 --warmup=2000 --repeats=3 --processes=1,2 --cap-ms=30000
 *          --only=bare,companion-memory,companion-redis --from=dist|source
 *          --cpu-prof=DIR (profiles the server processes, one sample per 200 µs)
 * It measures and prints; it asserts nothing.
 */
import cluster, { type Worker } from 'node:cluster'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { connect, createServer as createNetServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { FakeWeChatApi } from '../simulator/http/fake-wechat-api'
import { runServerProcess, type ServerEnv, type ServerRole } from './bench-load-server'
import { BENCH_APP_ID, BENCH_APP_SECRET, codeFor, openidOf, sealedFor, sessionKeyOf, userOfCode } from './bench-load-users'

interface Options {
  clients: number
  requests: number
  warmup: number
  repeats: number
  processes: number[]
  capMs: number
  only: ServerRole[]
  cpuProf?: string
  from: 'dist' | 'source'
}

function parseOptions(argv: string[]): Options {
  const named = new Map(argv.filter((a) => a.startsWith('--')).map((a) => [a.slice(2).split('=')[0], a.split('=').slice(1).join('=')] as [string, string]))
  const int = (name: string, fallback: number) => {
    const value = named.has(name) ? Number(named.get(name)) : fallback
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`)
    return value
  }
  const roles: ServerRole[] = ['bare', 'companion-memory', 'companion-redis']
  const only = (named.get('only') || roles.join(',')).split(',') as ServerRole[]
  if (only.some((r) => !roles.includes(r))) throw new Error(`--only takes ${roles.join(',')}`)
  const from = named.get('from') || 'dist'
  if (from !== 'dist' && from !== 'source') throw new Error('--from takes dist or source')
  const processes = (named.get('processes') || '1,2').split(',').map(Number)
  if (processes.some((n) => !Number.isSafeInteger(n) || n <= 0 || n > 16)) throw new Error('--processes takes counts like 1,2')
  return {
    clients: int('clients', 200),
    requests: int('requests', 10_000),
    warmup: int('warmup', 2000),
    repeats: int('repeats', 3),
    processes,
    capMs: int('cap-ms', 30_000),
    only,
    cpuProf: named.get('cpu-prof') || undefined,
    from,
  }
}

// ---------- processes around the run: redis-server, the fake WeChat, the cluster workers ----------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const reachable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.end(), resolve(true)))
    socket.once('error', () => resolve(false))
  })

async function startRedis(): Promise<{ url: string; child: ChildProcess } | undefined> {
  if (!(process.env.PATH || '').split(delimiter).some((dir) => dir && existsSync(join(dir, 'redis-server')))) return undefined
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  for (let i = 0; i < 100; i++) {
    if (await reachable(port)) return { url: `redis://127.0.0.1:${port}`, child }
    await new Promise((r) => setTimeout(r, 50))
  }
  child.kill()
  throw new Error('redis-server did not start within 5 s')
}

/** jscode2session for every bench user: codes name their user, each user always has the same key. */
const benchWeChat = {
  code2Session(code: string) {
    const user = userOfCode(code)
    return user === undefined ? { errcode: 40029, errmsg: 'invalid code' } : { session_key: sessionKeyOf(user), openid: openidOf(user) }
  },
}

interface Servers {
  port: number
  workers: Worker[]
  stop(): Promise<void>
}

type SharedEnv = Omit<ServerEnv, 'BENCH_ROLE' | 'BENCH_PORT'>

async function startServers(role: ServerRole, processes: number, env: SharedEnv, cpuProf?: string): Promise<Servers> {
  const port = await freePort()
  if (cpuProf) cluster.setupPrimary({ execArgv: [...process.execArgv, '--cpu-prof', '--cpu-prof-interval=200', `--cpu-prof-dir=${cpuProf}`] })
  const workers = Array.from({ length: processes }, () => cluster.fork({ ...env, BENCH_ROLE: role, BENCH_PORT: String(port) }))
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${role} worker did not listen within 15 s`)), 15_000)
          worker.once('exit', (code) => reject(new Error(`${role} worker exited with ${code}`)))
          worker.on('message', (m: { listening?: boolean }) => {
            if (!m.listening) return
            clearTimeout(timer)
            resolve()
          })
        }),
    ),
  )
  const stop = () =>
    Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve()
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), 5000)
            worker.removeAllListeners('exit')
            worker.once('exit', () => (clearTimeout(timer), resolve()))
            worker.send({ cmd: 'stop' })
          }),
      ),
    ).then(() => undefined)
  return { port, workers, stop }
}

/** Total CPU of the server processes so far, µs. */
function serverCpu(workers: Worker[]): Promise<number> {
  return Promise.all(
    workers.map(
      (worker) =>
        new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('a worker did not report its CPU within 5 s')), 5000)
          const onMessage = (m: { cpu?: NodeJS.CpuUsage }) => {
            if (!m.cpu) return
            clearTimeout(timer)
            worker.off('message', onMessage)
            resolve(m.cpu.user + m.cpu.system)
          }
          worker.on('message', onMessage)
          worker.send({ cmd: 'cpu' })
        }),
    ),
  ).then((each) => each.reduce((a, b) => a + b, 0))
}

// ---------- the load ----------

interface Client {
  user: number
  token?: string
  logins: number
  sealed: { iv: string; encryptedData: string }
}

type Kind = 'login' | 'flag0' | 'flag1' | 'bare'

interface Sent {
  status: number
  reply: Record<string, unknown>
}

function post(agent: Agent, port: number, path: string, body: object, token?: string): Promise<Sent> {
  const text = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }
    if (token) headers.authorization = `Bearer ${token}`
    const req = request({ agent, host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode || 0, reply: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
        } catch (error) {
          reject(error)
        }
      })
      res.on('error', reject)
    })
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')))
    req.on('error', reject)
    req.end(text)
  })
}

function send(agent: Agent, port: number, client: Client, kind: Kind): Promise<Sent> {
  switch (kind) {
    case 'login':
      return post(agent, port, '/login', { code: codeFor(client.user, ++client.logins) })
    case 'flag0':
      return post(agent, port, '/open-data', { code: codeFor(client.user, ++client.logins), sessionKeyValidFlag: '0', ...client.sealed })
    case 'flag1':
      return post(agent, port, '/open-data', { code: '', sessionKeyValidFlag: '1', ...client.sealed }, client.token)
    case 'bare':
      return post(agent, port, '/open-data', { user: client.user, ...client.sealed })
  }
}

interface PhaseResult {
  requests: number
  seconds: number
  latenciesMs: number[]
  cpuUsPerRequest: number
  failures: number
}

async function phase(servers: Servers, agent: Agent, clients: Client[], requests: number, capMs: number, pick: () => Kind): Promise<PhaseResult> {
  const cpuBefore = await serverCpu(servers.workers)
  const latenciesMs: number[] = []
  let started = 0
  let failures = 0
  const begin = process.hrtime.bigint()
  const deadline = Date.now() + capMs
  await Promise.all(
    clients.map(async (client) => {
      while (started < requests && Date.now() < deadline) {
        started++
        const kind = pick()
        const t0 = process.hrtime.bigint()
        try {
          const { reply } = await send(agent, servers.port, client, kind)
          if (reply.ok !== true) failures++
          if (typeof reply.token === 'string') client.token = reply.token
        } catch {
          failures++
        }
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6)
      }
    }),
  )
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9
  const cpu = (await serverCpu(servers.workers)) - cpuBefore
  return { requests: latenciesMs.length, seconds, latenciesMs, cpuUsPerRequest: cpu / Math.max(1, latenciesMs.length), failures }
}

/** 15% login, 15% flag '0', 70% flag '1'. */
const mixed = (): Kind => {
  const r = Math.random()
  return r < 0.15 ? 'login' : r < 0.3 ? 'flag0' : 'flag1'
}

// ---------- the run ----------

interface Row {
  config: string
  phase: string
  requests: number
  rps: number
  p50: number
  p99: number
  max: number
  cpuUs: number
  failures: number
}

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN)

function row(config: string, name: string, r: PhaseResult): Row {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b)
  return { config, phase: name, requests: r.requests, rps: r.requests / r.seconds, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN, cpuUs: r.cpuUsPerRequest, failures: r.failures }
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—')
const HEADER = `${'config'.padEnd(22)}${'phase'.padEnd(12)}${'req'.padStart(7)}${'req/s'.padStart(8)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'max ms'.padStart(8)}${'CPU µs/req'.padStart(12)}${'failed'.padStart(8)}`
const line = (r: Row, spread = '') =>
  `${r.config.padEnd(22)}${r.phase.padEnd(12)}${String(r.requests).padStart(7)}${fmt(r.rps).padStart(8)}${fmt(r.p50, 1).padStart(8)}${fmt(r.p99, 1).padStart(8)}${fmt(r.max, 1).padStart(8)}${fmt(r.cpuUs, 1).padStart(12)}${String(r.failures).padStart(8)}${spread}`

async function runConfig(role: ServerRole, processes: number, options: Options, env: SharedEnv): Promise<Row[]> {
  const config = `${role}×${processes}`
  const servers = await startServers(role, processes, { ...env, BENCH_REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}:` }, options.cpuProf)
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients })
  const iv = (i: number) => Buffer.alloc(16, i % 251).toString('base64')
  const clients: Client[] = Array.from({ length: options.clients }, (_, i) => ({ user: i, logins: 0, sealed: sealedFor(i, iv(i)) }))
  const rows: Row[] = []
  try {
    if (role === 'bare') {
      await phase(servers, agent, clients, options.warmup, options.capMs, () => 'bare')
      rows.push(row(config, 'decrypt', await phase(servers, agent, clients, options.requests, options.capMs, () => 'bare')))
    } else {
      // Every client's first login at the same moment, on a server that has served nothing yet.
      rows.push(row(config, 'cold-burst', await phase(servers, agent, clients, clients.length, options.capMs, () => 'login')))
      await phase(servers, agent, clients, options.warmup, options.capMs, mixed)
      rows.push(row(config, 'mixed', await phase(servers, agent, clients, options.requests, options.capMs, mixed)))
      rows.push(row(config, 'flag1', await phase(servers, agent, clients, options.requests, options.capMs, () => 'flag1')))
    }
  } finally {
    agent.destroy()
    await servers.stop()
  }
  for (const r of rows) console.log(line(r))
  return rows
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const dist = join(__dirname, '..', 'server_dist', 'index.js')
  if (options.from === 'dist' && !existsSync(dist)) throw new Error('server_dist/index.js is not built: run `npm run build` (npm run bench:load does), or pass --from=source')
  const watchdog = setTimeout(() => {
    console.error('bench:load: stopped by its own 20-minute bound')
    process.exit(1)
  }, 20 * 60_000)
  const fake = new FakeWeChatApi(benchWeChat, BENCH_APP_ID, BENCH_APP_SECRET)
  const wechatUrl = await fake.start()
  const redis = options.only.includes('companion-redis') ? await startRedis() : undefined
  if (options.only.includes('companion-redis') && !redis) console.log('bench:load: redis-server is not on PATH — companion-redis (the multi-process runs) is skipped')
  const env: SharedEnv = { BENCH_WECHAT_URL: wechatUrl, BENCH_REDIS_URL: redis?.url, BENCH_FROM: options.from }
  console.log(`bench:load: ${options.clients} clients, ${options.requests} requests per phase (cap ${options.capMs} ms), ${options.repeats} repeats, processes ${options.processes.join(',')}, node ${process.version}`)
  console.log(options.from === 'dist' ? `companion: the built ${dist}` : 'companion: server/ from source through tsx (reads slower than the build users run)')
  console.log(`store: companion-memory = MemoryStore in its one process; companion-redis = one redis-server on loopback${redis ? ` (${redis.url})` : ' (not run)'} shared by every process`)
  console.log(HEADER)
  const all: Row[] = []
  try {
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      // Interleaved, so a noisy neighbour hits every configuration alike.
      for (const processes of options.processes) {
        for (const role of options.only) {
          if (role === 'companion-memory' && processes !== 1) continue
          if (role === 'companion-redis' && !redis) continue
          all.push(...(await runConfig(role, processes, options, env)))
        }
      }
    }
  } finally {
    clearTimeout(watchdog)
    redis?.child.kill()
    await fake.stop()
  }
  summarize(all, options)
}

function summarize(all: Row[], options: Options): void {
  const groups = new Map<string, Row[]>()
  for (const r of all) groups.set(`${r.config}|${r.phase}`, [...(groups.get(`${r.config}|${r.phase}`) || []), r])
  const medians = new Map<string, Row>()
  console.log(`\nmedians of ${options.repeats} repeat(s)  [CPU µs/req min–max]`)
  console.log(HEADER)
  for (const [key, rows] of groups) {
    const m: Row = {
      config: rows[0].config,
      phase: rows[0].phase,
      requests: median(rows.map((r) => r.requests)),
      rps: median(rows.map((r) => r.rps)),
      p50: median(rows.map((r) => r.p50)),
      p99: median(rows.map((r) => r.p99)),
      max: Math.max(...rows.map((r) => r.max)),
      cpuUs: median(rows.map((r) => r.cpuUs)),
      failures: rows.reduce((a, r) => a + r.failures, 0),
    }
    medians.set(key, m)
    console.log(line(m, `   [${fmt(Math.min(...rows.map((r) => r.cpuUs)), 1)}–${fmt(Math.max(...rows.map((r) => r.cpuUs)), 1)}]`))
  }
  const get = (config: string, name: string) => medians.get(`${config}|${name}`)
  console.log('\nratios (medians)')
  for (const processes of options.processes) {
    const bare = get(`bare×${processes}`, 'decrypt')
    for (const role of ['companion-memory', 'companion-redis']) {
      const flag1 = get(`${role}×${processes}`, 'flag1')
      if (bare && flag1) console.log(`  CPU per flag-'1' request, ${role}×${processes} / bare×${processes}: ${(flag1.cpuUs / bare.cpuUs).toFixed(2)}×  (target ≤ 1.3×)`)
    }
  }
  for (const role of ['companion-memory', 'companion-redis']) {
    const burst = get(`${role}×1`, 'cold-burst')
    if (burst) console.log(`  slowest cold-burst login, ${role}×1: ${fmt(burst.max)} ms over every repeat  (target ≤ 1000 ms)`)
  }
  if (options.processes.includes(1) && options.processes.includes(2)) {
    console.log('  throughput from 1 to 2 processes (2 cores shared with the load generator and the fake WeChat):')
    for (const [config, name] of [['bare', 'decrypt'], ['companion-redis', 'mixed'], ['companion-redis', 'flag1']]) {
      const one = get(`${config}×1`, name)
      const two = get(`${config}×2`, name)
      if (one && two) console.log(`    ${config} ${name}: ${fmt(one.rps)} → ${fmt(two.rps)} req/s (${(two.rps / one.rps).toFixed(2)}×)`)
    }
  }
}

if (cluster.isWorker) {
  runServerProcess(process.env as unknown as ServerEnv).catch((error) => {
    console.error(error)
    process.exit(1)
  })
} else {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error instanceof Error ? error.stack : error)
      process.exit(1)
    },
  )
}

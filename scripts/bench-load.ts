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
 * It measures and prints; it asserts nothing. Its parts: the command line (bench-load-options.ts), the
 * servers (bench-load-servers.ts, each process bench-load-server.ts), the clients and phases
 * (bench-load-clients.ts), the table (bench-load-report.ts), the bench users (bench-load-users.ts).
 */
import cluster from 'node:cluster'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { Agent } from 'node:http'
import { join } from 'node:path'
import { FakeWeChatApi } from '../simulator/http/fake-wechat-api'
import { runServerProcess, type ServerEnv, type ServerRole } from './bench-load-server'
import { BENCH_APP_ID, BENCH_APP_SECRET, sealedFor } from './bench-load-users'
import { parseOptions, type Options } from './bench-load-options'
import { benchWeChat, startRedis, startServers, type SharedEnv } from './bench-load-servers'
import { mixed, phase, type Client } from './bench-load-clients'
import { HEADER, line, row, summarize, type Row } from './bench-load-report'

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

/** bench:load's servers: a free port, a throwaway redis-server, the cluster of server processes and their CPU. */
import cluster, { type Worker } from 'node:cluster'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect, createServer as createNetServer } from 'node:net'
import { delimiter, join } from 'node:path'
import type { ServerEnv, ServerRole } from './bench-load-server'
import { openidOf, sessionKeyOf, userOfCode } from './bench-load-users'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export const reachable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.end(), resolve(true)))
    socket.once('error', () => resolve(false))
  })

export async function startRedis(): Promise<{ url: string; child: ChildProcess } | undefined> {
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
export const benchWeChat = {
  code2Session(code: string) {
    const user = userOfCode(code)
    return user === undefined ? { errcode: 40029, errmsg: 'invalid code' } : { session_key: sessionKeyOf(user), openid: openidOf(user) }
  },
}

export interface Servers {
  port: number
  workers: Worker[]
  stop(): Promise<void>
}

export type SharedEnv = Omit<ServerEnv, 'BENCH_ROLE' | 'BENCH_PORT'>

export async function startServers(role: ServerRole, processes: number, env: SharedEnv, cpuProf?: string): Promise<Servers> {
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
export function serverCpu(workers: Worker[]): Promise<number> {
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

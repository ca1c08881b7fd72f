/**
 * Redis for the suites that test the Redis store: the one at REDIS_URL, or a throwaway redis-server
 * on loopback when one is on PATH. Without either those suites skip (global-setup.ts says so once);
 * CI sets SESSION_GUARD_REQUIRE_REDIS=1, which turns a missing Redis into a failure.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { delimiter, join } from 'node:path'

export function redisServerOnPath(): boolean {
  return (process.env.PATH || '').split(delimiter).some((dir) => dir && existsSync(join(dir, 'redis-server')))
}

export function redisAvailable(): boolean {
  return !!process.env.REDIS_URL || redisServerOnPath()
}

/** `describe` where Redis can be had, `describe.skip` elsewhere (read when a suite is defined). */
export function describeWithRedis(): jest.Describe {
  return redisAvailable() ? describe : describe.skip
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.end(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

export interface RunningRedis {
  url: string
  /** Keys of this run start with it, so suites sharing one REDIS_URL never meet. */
  prefix: string
  stop(): Promise<void>
}

/** `port`: a throwaway redis-server there, even when REDIS_URL is set (a client that waited for it). */
export async function startRedis(onPort?: number): Promise<RunningRedis> {
  const prefix = `sg-test-${process.pid}-${Math.random().toString(36).slice(2)}:`
  if (process.env.REDIS_URL && onPort === undefined) return { url: process.env.REDIS_URL, prefix, stop: async () => undefined }
  const port = onPort ?? (await freePort())
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill()
    })
  for (let i = 0; i < 100; i++) {
    if (await reachable(port)) return { url: `redis://127.0.0.1:${port}`, prefix, stop }
    await new Promise((r) => setTimeout(r, 50))
  }
  await stop()
  throw new Error('redis-server did not start within 5 s')
}

/**
 * A throwaway 3-master Redis Cluster on loopback for the cluster suites: three
 * `redis-server --cluster-enabled yes` in temp dirs joined by `redis-cli --cluster create`.
 * Needs both binaries on PATH; without them the suites skip (global-setup.ts says so once) unless
 * SESSION_GUARD_REQUIRE_REDIS=1 makes that a failure.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { freePort } from './redis'

export function onPath(binary: string): boolean {
  return (process.env.PATH || '').split(delimiter).some((dir) => dir && existsSync(join(dir, binary)))
}

export function clusterAvailable(): boolean {
  return onPath('redis-server') && onPath('redis-cli')
}

export function describeWithCluster(): jest.Describe {
  return clusterAvailable() ? describe : describe.skip
}

export interface RunningCluster {
  nodes: { host: string; port: number }[]
  prefix: string
  stop(): Promise<void>
}

function cli(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', args, { timeout: timeoutMs }, (error, stdout, stderr) => (error ? reject(new Error(`redis-cli ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)))
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => (clearTimeout(kill), resolve()))
    child.kill()
  })
}

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    if (await check().catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export async function startRedisCluster(): Promise<RunningCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-cluster-'))
  const children: ChildProcess[] = []
  const ports: number[] = []
  const stop = async () => {
    await Promise.all(children.map(stopChild))
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort()
      const bus = await freePort()
      ports.push(port)
      const args = ['--port', String(port), '--cluster-port', String(bus), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--dir', dir, '--save', '', '--appendonly', 'no']
      children.push(spawn('redis-server', args, { stdio: 'ignore' }))
    }
    for (const port of ports) await until(`redis-server on ${port} did not answer`, 5000, async () => (await cli(['-p', String(port), 'ping'], 1000)).includes('PONG'))
    await cli(['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], 20_000)
    for (const port of ports) await until(`the cluster was not ok on ${port}`, 10_000, async () => (await cli(['-p', String(port), 'cluster', 'info'], 1000)).includes('cluster_state:ok'))
  } catch (error) {
    await stop()
    throw error
  }
  return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), prefix: `sg-test-${process.pid}-${Math.random().toString(36).slice(2)}:`, stop }
}

/**
 * PHP for the suites that run examples/php-server: `php` on PATH with pdo_sqlite. Without it those
 * suites skip (global-setup.ts says so once); CI sets SESSION_GUARD_REQUIRE_PHP=1, which turns a
 * missing php into a failure.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort } from './redis'

export const PHP_SERVER_DIR = path.join(__dirname, '../../examples/php-server')

let available: boolean | undefined

/** php runs and has the SQLite driver the example's store needs. */
export function phpAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync('php', ['-r', 'exit(extension_loaded("pdo_sqlite") && extension_loaded("openssl") ? 0 : 3);'], { stdio: 'ignore', timeout: 10000 })
    available = probe.status === 0
  }
  return available
}

/** `describe` where php can be had, `describe.skip` elsewhere (read when a suite is defined). */
export function describeWithPhp(): jest.Describe {
  return phpAvailable() ? describe : describe.skip
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.end(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

export interface RunningPhp {
  url: string
  /** What the server wrote to stderr (its access log and error_log lines). */
  log(): string
  /** Ends the server and its workers; `keepStore` leaves the SQLite store for a restart on it. */
  stop(options?: { keepStore?: boolean }): Promise<void>
}

export const PHP_SESSION_SECRET = 'php-suite-session-secret-0123456789abcdef'

/**
 * `php -S 127.0.0.1:<free port> examples/php-server/index.php` with the given environment and a
 * fresh SQLite store. Its own process group, so stop() ends the workers PHP_CLI_SERVER_WORKERS forks too.
 */
export async function startPhpServer(env: Record<string, string>, at: { port?: number; storeDir?: string } = {}): Promise<RunningPhp & { port: number; storeDir: string }> {
  const port = at.port || (await freePort())
  const dir = at.storeDir || mkdtempSync(path.join(tmpdir(), 'php-server-'))
  const child = spawn('php', ['-S', `127.0.0.1:${port}`, path.join(PHP_SERVER_DIR, 'index.php')], {
    env: { PATH: process.env.PATH || '', STORE_PATH: path.join(dir, 'store.sqlite'), SESSION_SECRET: PHP_SESSION_SECRET, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  })
  let log = ''
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async ({ keepStore = false } = {}) => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-(child.pid as number), 'SIGTERM')
      } catch {
        // Already gone.
      }
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))])
      clearTimeout(timer)
    }
    if (!keepStore) rmSync(dir, { recursive: true, force: true })
  }
  const end = Date.now() + 10000
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > end) {
      await stop()
      throw new Error(`php -S did not listen on ${port} within 10 s:\n${log}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { url: `http://127.0.0.1:${port}`, port, storeDir: dir, log: () => log, stop }
}

/**
 * examples/php-server in its production setup: php-fpm behind nginx, started from the very files the
 * README ships (examples/php-server/deploy/), with only what a test must change: loopback ports instead
 * of 443 and a socket, a temp dir for pids, logs and nginx's buffers, the environment. Without php-fpm
 * or nginx those suites skip (global-setup.ts says so once); CI sets SESSION_GUARD_REQUIRE_PHP_FPM=1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PHP_SERVER_DIR, PHP_SESSION_SECRET, phpAvailable } from './php'
import { freePort } from './redis'

const DEPLOY = path.join(PHP_SERVER_DIR, 'deploy')

function which(names: string[]): string | undefined {
  for (const name of names) {
    for (const dir of [...(process.env.PATH || '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
      const candidate = path.join(dir, name)
      if (dir && existsSync(candidate)) return candidate
    }
  }
  return undefined
}

const fpmBinary = () => which(['php-fpm', 'php-fpm8.4', 'php-fpm8.3', 'php-fpm8.2'])
const nginxBinary = () => which(['nginx'])

let available: boolean | undefined

/** php (with the store's extensions), php-fpm and nginx are all here and run. */
export function fpmNginxAvailable(): boolean {
  if (available === undefined) {
    const fpm = fpmBinary()
    const nginx = nginxBinary()
    available = phpAvailable() && !!fpm && !!nginx && spawnSync(fpm, ['-v'], { stdio: 'ignore', timeout: 10000 }).status === 0 && spawnSync(nginx, ['-v'], { stdio: 'ignore', timeout: 10000 }).status === 0
  }
  return available
}

export function describeWithFpmNginx(): jest.Describe {
  return fpmNginxAvailable() ? describe : describe.skip
}

/** `text` with each [from, to] replaced once; a from that is missing means the shipped file changed shape: fail loudly. */
function substitute(text: string, pairs: [string | RegExp, string][], file: string): string {
  return pairs.reduce((out, [from, to]) => {
    const found = typeof from === 'string' ? out.includes(from) : from.test(out)
    if (!found) throw new Error(`${file} no longer contains ${String(from)}: update test/support/php-fpm.ts with it`)
    return out.replace(from, to)
  }, text)
}

function fpmConfig(dir: string, port: number, env: Record<string, string>): string {
  const asRoot = process.getuid?.() === 0
  const pool = substitute(
    readFileSync(path.join(DEPLOY, 'php-fpm-pool.conf'), 'utf8'),
    [
      ['user = www-data\ngroup = www-data\n', asRoot ? 'user = root\ngroup = root\n' : ''],
      ['listen = /run/php/session-guard.sock', `listen = 127.0.0.1:${port}`],
      [/^listen\.(owner|group|mode) = .*\n/gm, ''],
      [/^env\[.*\n/gm, ''],
    ],
    'php-fpm-pool.conf',
  )
  const envLines = Object.entries(env).map(([name, value]) => `env[${name}] = ${JSON.stringify(value)}`)
  return [`[global]`, `pid = ${dir}/fpm.pid`, `error_log = ${dir}/fpm.log`, `daemonize = no`, pool, ...envLines, ''].join('\n')
}

function nginxConfig(dir: string, port: number, fpmPort: number): string {
  const site = substitute(
    readFileSync(path.join(DEPLOY, 'nginx-site.conf'), 'utf8'),
    [
      ['listen 443 ssl;', `listen 127.0.0.1:${port};`],
      [/^\s*ssl_certificate(_key)? .*\n/gm, ''],
      ['include fastcgi_params;', 'include /etc/nginx/fastcgi_params;'],
      ['/srv/php-server/index.php', path.join(PHP_SERVER_DIR, 'index.php')],
      ['unix:/run/php/session-guard.sock', `127.0.0.1:${fpmPort}`],
    ],
    'nginx-site.conf',
  )
  const temp = ['client_body', 'fastcgi', 'proxy', 'uwsgi', 'scgi'].map((name) => `  ${name}_temp_path ${dir}/${name};`)
  return [
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'daemon off;',
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/nginx-error.log;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    ...temp,
    site,
    '}',
    '',
  ].join('\n')
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.end(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 3000)
    child.once('exit', () => (clearTimeout(timer), resolve()))
    child.kill('SIGTERM')
  })
}

export interface RunningFpmNginx {
  url: string
  port: number
  log(): string
  stop(): Promise<void>
}

/** nginx on a free loopback port, php-fpm behind it, both in the foreground, stopped by stop(). */
export async function startFpmNginx(env: Record<string, string>): Promise<RunningFpmNginx> {
  const dir = mkdtempSync(path.join(tmpdir(), 'php-fpm-nginx-'))
  for (const name of ['client_body', 'fastcgi', 'proxy', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, name))
  const [port, fpmPort] = [await freePort(), await freePort()]
  const fullEnv = { STORE_PATH: path.join(dir, 'store.sqlite'), SESSION_SECRET: PHP_SESSION_SECRET, ...env }
  writeFileSync(path.join(dir, 'php-fpm.conf'), fpmConfig(dir, fpmPort, fullEnv))
  writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, port, fpmPort))
  const fpm = spawn(fpmBinary() as string, ['--nodaemonize', '--allow-to-run-as-root', '-y', path.join(dir, 'php-fpm.conf')], { stdio: 'ignore' })
  const nginx = spawn(nginxBinary() as string, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' })
  const read = (name: string) => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name), 'utf8') : '')
  const log = () => read('fpm.log') + read('nginx-error.log')
  const stop = async () => {
    await Promise.all([stopChild(nginx), stopChild(fpm)])
    rmSync(dir, { recursive: true, force: true })
  }
  const end = Date.now() + 10000
  while (!((await listening(port)) && (await listening(fpmPort)))) {
    if (fpm.exitCode !== null || nginx.exitCode !== null || Date.now() > end) {
      const seen = log()
      await stop()
      throw new Error(`nginx + php-fpm did not listen within 10 s:\n${seen}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { url: `http://127.0.0.1:${port}`, port, log, stop }
}

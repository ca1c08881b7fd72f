/**
 * `npm run example:server` stops cleanly: on Ctrl-C (SIGINT to the terminal's whole process group) and
 * on SIGTERM to the npm process alone (a process manager, an IDE's stop button). Afterwards no process
 * it started is left and nothing listens on its port.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { connect } from 'node:net'
import path from 'node:path'

const ROOT = path.join(__dirname, '../..')
const linux = existsSync('/proc/self/task')

/** Every process below `pid`, from /proc's children lists. */
function descendants(pid: number): number[] {
  const tasks = `/proc/${pid}/task`
  if (!existsSync(tasks)) return []
  const children = readdirSync(tasks).flatMap((task) => {
    try {
      return readFileSync(`${tasks}/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
    } catch {
      return []
    }
  })
  return children.flatMap((child) => [child, ...descendants(child)])
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })

async function eventually(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await condition()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return condition()
}

/** Starts `npm run example:server` in its own process group, as a terminal would, and waits for its address. */
async function start(): Promise<{ npm: ChildProcess; port: number; started: number[] }> {
  // The simulated WeChat, by the explicit development switch: no credentials at all (empty ones are refused).
  const { WX_APPID: _appId, WX_SECRET: _secret, ...inherited } = process.env
  const env = { ...inherited, PORT: '0', SESSION_GUARD_DEV_WECHAT: '1' }
  const npm = spawn('npm', ['run', 'example:server'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  npm.stderr?.on('data', (chunk) => (output += chunk))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address in 60 s:\n${output}`)), 60000)
    npm.stdout?.on('data', (chunk) => {
      output += chunk
      const found = /companion on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
      if (found) {
        clearTimeout(timer)
        resolve(Number(found[1]))
      }
    })
  })
  return { npm, port, started: [npm.pid as number, ...descendants(npm.pid as number)] }
}

const stopsWith = (what: string, signal: (npm: ChildProcess) => void) =>
  (linux ? it : it.skip)(`${what}: every process it started exits and the port is free`, async () => {
    const { npm, port, started } = await start()
    try {
      expect(started.length).toBeGreaterThan(1)
      expect(await listening(port)).toBe(true)
      signal(npm)
      expect(await eventually(() => started.every((pid) => !alive(pid)), 10000)).toBe(true)
      expect(await listening(port)).toBe(false)
    } finally {
      for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL')
    }
  })

describe('npm run example:server', () => {
  stopsWith('Ctrl-C (SIGINT to the process group)', (npm) => process.kill(-(npm.pid as number), 'SIGINT'))
  stopsWith('SIGTERM to the npm process', (npm) => npm.kill('SIGTERM'))
})

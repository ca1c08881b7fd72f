/**
 * `npm run example:server` honours WECHAT_API_BASE (and SESSION_LIFETIME_SECONDS): started as a
 * separate process pointed at the kit's fake WeChat API, it answers the kit from that API.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { DEFAULTS } from '../../conformance/cli/args'
import { runKit } from '../../conformance/cli/run-kit'
import { ALL_SCENARIOS } from '../../conformance/scenarios/all-scenarios'
import { freePort } from './companion-under-test'

const root = join(__dirname, '..', '..')
const START_BOUND_MS = 30_000

let child: ChildProcess | undefined

function startExampleServer(env: Record<string, string>): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/example-server.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`example server did not start: ${out}`)), START_BOUND_MS)
    const started = child as ChildProcess
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8')
      const match = /session-guard companion on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    started.stdout?.on('data', onData)
    started.stderr?.on('data', onData)
    started.once('exit', () => {
      clearTimeout(timer)
      reject(new Error(`example server exited: ${out}`))
    })
  })
}

describe('npm run example:server with WECHAT_API_BASE', () => {
  afterEach(async () => {
    const running = child
    child = undefined
    if (!running || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    // tsx's loader keeps the process alive through SIGTERM.
    running.kill('SIGKILL')
    await exited
  })

  it('talks to the kit’s fake WeChat API and passes its identity scenarios', async () => {
    const wechatPort = await freePort()
    const url = await startExampleServer({
      PORT: String(await freePort()),
      WX_APPID: DEFAULTS.appId,
      WX_SECRET: DEFAULTS.secret,
      WECHAT_API_BASE: `http://127.0.0.1:${wechatPort}`,
      SESSION_LIFETIME_SECONDS: '4',
    })
    const ids = ['login-identity', 'flag-0-stores-key', 'token-expired', 'phone-code-with-token', 'phone-code-bound']
    const run = await runKit(['--server', url, '--wechat-port', String(wechatPort), '--token-lifetime', '4', '--strict'], { out: () => undefined, err: () => undefined }, ALL_SCENARIOS.filter((s) => ids.includes(s.id)))
    expect(run.results?.map((r) => [r.id, r.status])).toEqual(ids.map((id) => [id, 'pass']))
    expect(run.exitCode).toBe(0)
  }, 60_000)
})

/**
 * The simulated WeChat hands out login codes to anyone: `npm run example:server` serves it only where
 * that is obviously development, and says at startup which WeChat answers and why.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { startExampleServer } from '../../example-server/companion'
import { decideWeChatMode } from '../../example-server/wechat-mode'

const ROOT = path.join(__dirname, '../..')

const runningServers = new Map<string, ReturnType<typeof spawn>>()

interface Run {
  /** The companion's URL when it started, else undefined. */
  url?: string
  exitCode: number | null
  output: string
}

/** `npm run example:server` in a clean environment (PATH and HOME only, plus `env`): until it listens or exits, 20 s at most. */
function exampleServer(env: Record<string, string>, argv: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/example-server.ts', ...argv], {
      cwd: ROOT,
      env: { PATH: process.env.PATH as string, HOME: process.env.HOME as string, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`neither listened nor exited in 20 s:\n${output}`))), 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const url = /companion on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
      if (url && /DEVELOPMENT ONLY|refused:/.test(output)) {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        // Left running: the test reads it through `url`, then devWeChatStatus() stops it.
        runningServers.set(url, child)
        resolve({ url, exitCode: null, output })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ exitCode: code, output })
    })
  })
}

/** Reads /dev-wechat of a started server, then stops it. */
async function devWeChatStatus(run: Run): Promise<number> {
  const child = runningServers.get(run.url as string)
  try {
    return (await fetch(`${run.url}/dev-wechat/login`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5000) })).status
  } finally {
    await new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill()
    })
  }
}

describe('npm run example:server refuses to start the simulated WeChat', () => {
  it.each<[string, Record<string, string>]>([
    ['under NODE_ENV=production', { NODE_ENV: 'production' }],
    ['under NODE_ENV=production even with the development switch', { NODE_ENV: 'production', SESSION_GUARD_DEV_WECHAT: '1' }],
    ["with WX_APPID='' and WX_SECRET='' (an unset CI secret)", { WX_APPID: '', WX_SECRET: '' }],
    ['with only WX_APPID set', { WX_APPID: 'wx4f4bc4dec97d474b' }],
    ["with WX_SECRET='' next to a real WX_APPID", { WX_APPID: 'wx4f4bc4dec97d474b', WX_SECRET: ' ' }],
    ['with credentials under another name (WECHAT_APPID / WECHAT_SECRET)', { WECHAT_APPID: 'wx4f4bc4dec97d474b', WECHAT_SECRET: 's' }],
    ['with credentials under another name (APP_ID)', { APP_ID: 'wx4f4bc4dec97d474b' }],
    ['with credentials under another name (WX_APP_ID / SECRET)', { WX_APP_ID: 'wx4f4bc4dec97d474b', SECRET: 's' }],
  ])('%s: it exits without listening, and says why', async (_name, env) => {
    const run = await exampleServer(env)
    expect(run.url).toBeUndefined()
    expect(run.exitCode).toBe(1)
    expect(run.output).toMatch(/^example:server did not start: .*(NODE_ENV=production|empty or half-set|under another name)/m)
  })
})

describe('npm run example:server starts the simulated WeChat, saying which and why in one line', () => {
  it('when no credential-like variable is in the environment', async () => {
    const run = await exampleServer({})
    expect(run.output).toMatch(/^WeChat: SIMULATED \(development only\) — no WeChat credential in the environment/m)
    expect(await devWeChatStatus(run)).toBe(200)
  })

  it('by the explicit development switch, even next to credential-like names', async () => {
    const run = await exampleServer({ SESSION_GUARD_DEV_WECHAT: '1', APPID: 'something-else' })
    expect(run.output).toMatch(/^WeChat: SIMULATED \(development only\) — SESSION_GUARD_DEV_WECHAT=1 \(the explicit development switch\)$/m)
    expect(await devWeChatStatus(run)).toBe(200)
  })

  it('and with WX_APPID and WX_SECRET uses the real API and refuses /dev-wechat', async () => {
    const run = await exampleServer({ WX_APPID: 'wx4f4bc4dec97d474b', WX_SECRET: 'a-secret', NODE_ENV: 'production' })
    expect(run.output).toMatch(/^WeChat: the real WeChat API, simulated WeChat OFF — WX_APPID and WX_SECRET are set$/m)
    expect(await devWeChatStatus(run)).toBe(403)
  })
})

describe('decideWeChatMode (what the script decides from)', () => {
  it('reads names case-insensitively, and does not take the companion’s own SESSION_SECRET or npm’s variables for credentials', () => {
    expect(() => decideWeChatMode({ wechat_appid: 'x' })).toThrow(/under another name/)
    expect(() => decideWeChatMode({ MINIPROGRAM_APP_SECRET: 'x' })).toThrow(/under another name/)
    expect(decideWeChatMode({ SESSION_SECRET: 'x'.repeat(32), npm_package_name: 'x', PORT: '3000' })).toMatchObject({ kind: 'simulated' })
  })

  it('refuses the switch next to real credentials rather than guess which was meant', () => {
    expect(() => decideWeChatMode({ WX_APPID: 'wx1', WX_SECRET: 's' }, ['--dev-wechat'])).toThrow(/unset one or the other/)
  })

  it('points the real API at WECHAT_API_BASE (the conformance kit) only with credentials, never the simulated WeChat', () => {
    expect(decideWeChatMode({ WX_APPID: 'wx1', WX_SECRET: 's', WECHAT_API_BASE: 'http://127.0.0.1:7301' })).toMatchObject({ kind: 'real', appId: 'wx1' })
    expect(() => decideWeChatMode({ WECHAT_API_BASE: 'http://127.0.0.1:7301' })).toThrow(/set WX_APPID and WX_SECRET for it too/)
  })
})

describe('startExampleServer (npm run try, the tests) refuses the same', () => {
  const nodeEnv = process.env.NODE_ENV
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv
  })

  it.each([
    [{ appId: '', appSecret: '' }],
    [{ appId: 'wx4f4bc4dec97d474b', appSecret: '' }],
    [{ appId: 'wx4f4bc4dec97d474b' }],
  ])('empty or half-set credentials %p', async (credentials) => {
    await expect(startExampleServer(credentials)).rejects.toThrow(/WX_APPID and WX_SECRET/)
  })

  it('a simulated WeChat under NODE_ENV=production', async () => {
    process.env.NODE_ENV = 'production'
    await expect(startExampleServer()).rejects.toThrow(/NODE_ENV=production/)
  })
})

/**
 * The kit's fixed command line: what it accepts, and its exit codes (0 all pass, 1 a failure or a
 * skip, 2 bad arguments or no backend), in process and as the built bin.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { parseKitArgs, UsageError } from '../../conformance/cli/args'
import { runKit } from '../../conformance/cli/run-kit'
import { ALL_SCENARIOS } from '../../conformance/scenarios/all-scenarios'
import { companion, freePort, SESSION_SECRET, startCompanion } from './companion-under-test'

const root = join(__dirname, '..', '..')
const quiet = () => {
  const io = { out: '', err: '' }
  return { io, sink: { out: (t: string) => (io.out += t + '\n'), err: (t: string) => (io.err += t + '\n') } }
}
const only = (...ids: string[]) => ALL_SCENARIOS.filter((s) => ids.includes(s.id))

describe('session-guard-conformance arguments', () => {
  it('takes the issue’s interface, with its defaults', () => {
    expect(parseKitArgs(['--server', 'http://127.0.0.1:8080/'])).toEqual({
      platform: 'weixin',
      server: 'http://127.0.0.1:8080',
      loginPath: '/login',
      dataPath: '/open-data',
      wechatPort: 7301,
      appId: 'wx0123456789abcdef',
      secret: 'session-guard-conformance-secret',
      json: false,
      strict: false,
      waitSeconds: 10,
      replyTimeoutSeconds: 12,
    })
    const all = ['--server', 'https://api.example.com', '--login-path', '/wx/login', '--data-path', '/wx/phone', '--wechat-port', '9000', '--appid', 'wxa', '--secret', 's', '--config', 'c.js', '--json', '--token-lifetime', '5', '--strict', '--reply-timeout', '30']
    expect(parseKitArgs(all)).toMatchObject({ loginPath: '/wx/login', dataPath: '/wx/phone', wechatPort: 9000, appId: 'wxa', secret: 's', config: 'c.js', json: true, strict: true, tokenLifetimeSeconds: 5, replyTimeoutSeconds: 30 })
  })

  it.each([
    [[]],
    [['--server']],
    [['--server', 'not a url']],
    [['--server', 'ftp://x']],
    [['--server', 'http://x', '--wechat-port', '70000']],
    [['--server', 'http://x', '--wechat-port', '1.5']],
    [['--server', 'http://x', '--login-path', 'login']],
    [['--server', 'http://x', '--token-lifetime', '31']],
    [['--server', 'http://x', '--token-lifetime', '3', '--expired-token', 't']],
    [['--server', 'http://x', '--bogus']],
    [['--server', 'http://x', 'positional']],
    [['--server', 'http://x', '--platform', 'alipay']],
    [['--server', 'http://x', '--reply-timeout', '0']],
    [['--server', 'http://x', '--reply-timeout', '121']],
  ])('refuses %j', (argv) => {
    expect(() => parseKitArgs(argv)).toThrow(UsageError)
  })

  it('--platform picks the platform and its default appid (Baidu: an App Key); --appid still wins', () => {
    expect(parseKitArgs(['--server', 'http://x', '--platform', 'toutiao'])).toMatchObject({ platform: 'toutiao', appId: 'tt0123456789abcdef' })
    expect(parseKitArgs(['--server', 'http://x', '--platform', 'baidu'])).toMatchObject({ platform: 'baidu', appId: 'SgConformanceAppKey0123456789abc' })
    expect(parseKitArgs(['--server', 'http://x', '--platform', 'qq', '--appid', '1110000001'])).toMatchObject({ platform: 'qq', appId: '1110000001' })
  })

  it('exits 2 on bad arguments, printing the usage', async () => {
    const { io, sink } = quiet()
    expect((await runKit(['--server', 'http://x', '--wechat-port', 'abc'], sink)).exitCode).toBe(2)
    expect(io.err).toMatch(/--wechat-port must be an integer[\s\S]*usage: session-guard-conformance --server/)
  })

  it('exits 2 when the backend never answers, within --wait', async () => {
    const { io, sink } = quiet()
    const started = Date.now()
    const run = await runKit(['--server', `http://127.0.0.1:${await freePort()}`, '--wechat-port', String(await freePort()), '--wait', '1'], sink)
    expect(run.exitCode).toBe(2)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(io.err).toMatch(/did not answer within 1 s/)
  })

  it('exits 2 when the fake WeChat API cannot have its port', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as { port: number }).port
    const { io, sink } = quiet()
    try {
      expect((await runKit(['--server', 'http://127.0.0.1:1', '--wechat-port', String(port)], sink)).exitCode).toBe(2)
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
    expect(io.err).toMatch(/cannot serve the fake WeChat API/)
  })
})

describe('session-guard-conformance output', () => {
  async function against(args: string[], ids: string[]) {
    const wechatPort = await freePort()
    const server = await startCompanion({ mount: 'node:http', wechatPort, tokenLifetimeSeconds: 3 })
    const { io, sink } = quiet()
    try {
      const run = await runKit(['--server', server.url, '--wechat-port', String(wechatPort), ...args], sink, only(...ids))
      return { ...run, io }
    } finally {
      await server.close()
    }
  }

  it('--json: one JSON document a machine reads', async () => {
    const run = await against(['--json', '--token-lifetime', '3'], ['login-identity', 'flag-1-ok'])
    expect(run.exitCode).toBe(0)
    const report = JSON.parse(run.io.out)
    expect(report).toMatchObject({ passed: 2, failed: 0, skipped: 0, conformant: true, appId: 'wx0123456789abcdef' })
    expect(report.results.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      ['login-identity', 'pass'],
      ['flag-1-ok', 'pass'],
    ])
  })

  it('a scenario it cannot run is a SKIP with its reason, and not a pass: exit 1', async () => {
    const run = await against([], ['token-expired'])
    expect(run.exitCode).toBe(1)
    expect(run.io.out).toMatch(/\| token-expired: [^|]+ \| SKIP \| not run: no expired token to send \| P-ID-3 \| start the backend with tokens of at most 30 s and pass --token-lifetime/)
    expect(run.io.out).toMatch(/0 passed, 0 warned, 0 failed, 1 skipped .*NOT conformant/)
  })

  it('--expired-token: a token the backend signed, past its expiry, is sent as given', async () => {
    const aMinuteAgo = () => Date.now() - 60_000
    const { token } = companion.createSessionTokens({ sessionSecret: SESSION_SECRET, sessionLifetimeSeconds: 1, now: aMinuteAgo }).issue('o-someone')
    const run = await against(['--expired-token', token], ['token-expired'])
    expect(run.exitCode).toBe(0)
    expect(run.results?.[0]).toMatchObject({ status: 'pass', saw: expect.stringMatching(/the expired token given: HTTP 200 .*SESSION_KEY_MISSING/) })
  })
})

describe('the shipped bin', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

  it('is declared in package.json and is a Node script', () => {
    expect(pkg.bin).toEqual({ 'session-guard-conformance': 'conformance_dist/cli.js', 'session-guard-wxcomponents': 'bin/session-guard-wxcomponents.js' })
    expect(readFileSync(join(root, 'conformance_dist/cli.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')
  })

  it('requires only Node built-ins', () => {
    const code = readFileSync(join(root, 'conformance_dist/cli.js'), 'utf8')
    const required = [...code.matchAll(/require\(['"]([^'"]+)['"]\)/g)].map((m) => m[1])
    expect(required.length).toBeGreaterThan(0)
    for (const name of required) expect(name).toMatch(/^node:/)
  })

  it('runs: --help exits 0, bad arguments exit 2', () => {
    expect(execFileSync(process.execPath, [join(root, 'conformance_dist/cli.js'), '--help'], { encoding: 'utf8' })).toMatch(/usage: session-guard-conformance --server <base URL>/)
    const bad = spawnSync(process.execPath, [join(root, 'conformance_dist/cli.js'), '--nope'], { encoding: 'utf8', timeout: 10_000 })
    expect(bad.status).toBe(2)
  })
})

/**
 * examples/php-server, started as its README says (`php -S … index.php`, WECHAT_API_BASE at the
 * kit's fake WeChat), passes every scenario of the conformance kit with --strict (its SHOULDs too): with one PHP process, and with
 * four (PHP_CLI_SERVER_WORKERS), where only the SQLite store keeps codes exchanged once.
 */
import { runKit } from '../../conformance/cli/run-kit'
import { describeWithPhp, startPhpServer, type RunningPhp } from '../support/php'
import { freePort } from '../support/redis'

const APPID = 'wx0123456789abcdef'
const SECRET = 'php-suite-wechat-secret'
const TOKEN_LIFETIME_S = 4

async function kitAgainst(workers: number) {
  const wechatPort = await freePort()
  const php: RunningPhp = await startPhpServer({
    WECHAT_API_BASE: `http://127.0.0.1:${wechatPort}`,
    WX_APPID: APPID,
    WX_SECRET: SECRET,
    SESSION_LIFETIME_SECONDS: String(TOKEN_LIFETIME_S),
    ...(workers > 1 ? { PHP_CLI_SERVER_WORKERS: String(workers) } : {}),
  })
  let out = ''
  try {
    const argv = ['--server', php.url, '--wechat-port', String(wechatPort), '--appid', APPID, '--secret', SECRET, '--token-lifetime', String(TOKEN_LIFETIME_S), '--strict']
    const run = await runKit(argv, { out: (text) => (out += text), err: () => undefined })
    return { run, table: out, log: php.log() }
  } finally {
    await php.stop()
  }
}

describeWithPhp()('the PHP server against the conformance kit', () => {
  it.each([1, 4])('passes every scenario with --strict, with %i PHP process(es)', async (workers) => {
    const { run, table, log } = await kitAgainst(workers)
    const failed = (run.results || []).filter((r) => r.status !== 'pass').map((r) => r.id)
    // The table is the report: print it, so a failure shows what the kit saw.
    if (failed.length > 0 || run.exitCode !== 0) process.stderr.write(`${table}\n${log.split('\n').filter((l) => /php-server|Fatal|Warning/.test(l)).join('\n')}\n`)
    expect(failed).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.results?.length).toBeGreaterThanOrEqual(20)
    // Nothing secret reaches the server's log.
    expect(log).not.toMatch(/session_key|sessionKey/i)
  }, 90000)
})

/**
 * examples/php-server in the production setup its README shows: php-fpm behind nginx, from the shipped
 * examples/php-server/deploy/ files. It passes the conformance kit with --strict; a body that stops arriving is cut
 * off within the protocol's 10 s (P-HTTP-3: nginx closes it, logging 408), which `php -S` never does;
 * a body over 128 KiB is 413 TOO_LARGE before PHP sees it; and 1,100 idle half-sent connections do not
 * keep a real request from being served.
 */
import { connect, type Socket } from 'node:net'
import { runKit } from '../../conformance/cli/run-kit'
import { FakeWeChat } from '../../conformance/wechat/fake-wechat'
import { describeWithFpmNginx, startFpmNginx, type RunningFpmNginx } from '../support/php-fpm'
import { freePort } from '../support/redis'

const APPID = 'wx0123456789abcdef'
const SECRET = 'php-fpm-suite-wechat-secret'
/** P-HTTP-3's bound (the companion's bodyTimeoutMs): a body that stops arriving is answered or closed within it. */
const BODY_BOUND_MS = 10_000

/** Sends the headers and part of a body that declares `Content-Length: 100`, then nothing; resolves with what came back and when. */
function halfSentBody(port: number, waitMs: number): Promise<{ reply: string; closedAfterMs?: number }> {
  return new Promise((resolve) => {
    const started = Date.now()
    let reply = ''
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST /login HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"code":"')
    })
    const timer = setTimeout(() => (socket.destroy(), resolve({ reply })), waitMs)
    socket.on('data', (chunk) => (reply += chunk.toString('utf8')))
    socket.on('error', () => undefined)
    socket.on('close', () => (clearTimeout(timer), resolve({ reply, closedAfterMs: Date.now() - started })))
  })
}

describeWithFpmNginx()('the PHP server behind nginx and php-fpm (the README’s production setup)', () => {
  let wechatPort: number
  let wechat: FakeWeChat
  let server: RunningFpmNginx
  beforeAll(async () => {
    wechatPort = await freePort()
    server = await startFpmNginx({ WECHAT_API_BASE: `http://127.0.0.1:${wechatPort}`, WX_APPID: APPID, WX_SECRET: SECRET, SESSION_LIFETIME_SECONDS: '4' })
  }, 30000)
  afterAll(() => server?.stop())

  it('passes every scenario of the conformance kit with --strict (its SHOULDs too)', async () => {
    let out = ''
    const argv = ['--server', server.url, '--wechat-port', String(wechatPort), '--appid', APPID, '--secret', SECRET, '--token-lifetime', '4', '--strict']
    const run = await runKit(argv, { out: (text) => (out += text), err: () => undefined })
    const failed = (run.results || []).filter((r) => r.status !== 'pass').map((r) => r.id)
    if (failed.length > 0 || run.exitCode !== 0) process.stderr.write(`${out}\n${server.log()}\n`)
    expect(failed).toEqual([])
    expect(run.exitCode).toBe(0)
  }, 120000)

  it('closes a connection whose body stops arriving within 10 s, with no reply that could be read as an answer', async () => {
    const { reply, closedAfterMs } = await halfSentBody(server.port, BODY_BOUND_MS + 3000)
    expect(closedAfterMs).toBeDefined()
    expect(closedAfterMs as number).toBeLessThanOrEqual(BODY_BOUND_MS + 1500)
    expect(reply === '' || /^HTTP\/1\.1 408 /.test(reply)).toBe(true)
  }, 20000)

  it('answers a body over 128 KiB with 413 TOO_LARGE before PHP reads it', async () => {
    const body = JSON.stringify({ code: 'x'.repeat(200 * 1024) })
    const response = await fetch(server.url + '/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5000) })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ ok: false, reason: 'TOO_LARGE' })
  })

  it('serves a real request at once while 1,100 idle half-sent connections are open', async () => {
    wechat = new FakeWeChat({ appId: APPID, secret: SECRET })
    await wechat.start(wechatPort)
    const idle: Socket[] = []
    try {
      await Promise.all(
        Array.from({ length: 1100 }, () => new Promise<void>((resolve) => {
          const socket = connect(server.port, '127.0.0.1', () => (socket.write('POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{'), resolve()))
          socket.on('error', () => resolve())
          idle.push(socket)
        })),
      )
      const started = Date.now()
      const { code } = wechat.issueCode(wechat.newUser())
      const response = await fetch(server.url + '/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }), signal: AbortSignal.timeout(5000) })
      expect(await response.json()).toMatchObject({ ok: true, token: expect.any(String) })
      expect(Date.now() - started).toBeLessThan(2000)
    } finally {
      for (const socket of idle) socket.destroy()
      await wechat.stop()
    }
  }, 30000)
})

/**
 * The kit judges a reply as the guard reads it, and bounds what it reads: a backend the guard cannot
 * use fails (exit 1, the rule named), a backend that breaks a SHOULD is a WARN row (a failure with
 * --strict), and a huge, dripping or endless reply ends the run in bounded time and memory (exit 1,
 * or exit 2 when nothing could be run).
 */
import { runKit, type KitRun } from '../../conformance/cli/run-kit'
import { GIVE_UP_AFTER_UNANSWERED } from '../../conformance/client/backend-client'
import { REPLY_BYTES_LIMIT } from '../../conformance/client/bounded-post'
import { ALL_SCENARIOS } from '../../conformance/scenarios/all-scenarios'
import { freePort, kitAgainstCompanion, startCompanion } from './companion-under-test'
import { drippingReplies, endlessHeaders, failureStatusProxy, hugeReplies, longTokens, noTokenAfterDecryptFailed, oneTokenPerUser, phoneCodeOpenid, statusFlippingProxy } from './hostile-backends'

const only = (...ids: string[]) => ALL_SCENARIOS.filter((s) => ids.includes(s.id))
const GIB = 1024 ** 3

async function kit(url: string, args: string[], ids?: string[]): Promise<KitRun & { out: string; err: string; ms: number }> {
  let out = ''
  let err = ''
  const started = Date.now()
  const run = await runKit(['--server', url, '--wechat-port', String(await freePort()), ...args], { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') }, ids ? only(...ids) : undefined)
  return { ...run, out, err, ms: Date.now() - started }
}

const result = (run: KitRun, id: string) => run.results?.find((r) => r.id === id)

describe('the kit reads a reply as the guard does', () => {
  it('fails a backend behind a proxy that turns every 200 into 500 (an ok body on 5xx is a failed request, P-STATUS-1)', async () => {
    const wechatPort = await freePort()
    const companion = await startCompanion({ mount: 'node:http', wechatPort, tokenLifetimeSeconds: 5, wechatTimeoutMs: 1000 })
    const proxy = await statusFlippingProxy(companion.url)
    try {
      let out = ''
      const run = await runKit(['--server', proxy.base, '--wechat-port', String(wechatPort), '--token-lifetime', '5'], { out: (t) => (out += t), err: () => undefined })
      expect(run.exitCode).toBe(1)
      expect(result(run, 'login-identity')).toMatchObject({ status: 'fail', saw: expect.stringMatching(/HTTP 500 .*ok on HTTP 500: a failed request for the guard, P-STATUS-1/) })
      expect(result(run, 'reply-shapes')).toMatchObject({ status: 'fail', rule: 'P-STATUS-1' })
      expect(out).toMatch(/\| reply-shapes: [^|]+ \| FAIL \| [^|]+ \| P-STATUS-1 \|/)
    } finally {
      await proxy.close()
      await companion.close()
    }
  }, 60_000)

  it('fails a backend whose tokens are 4,200 characters (the guard takes 1–4096 visible ASCII, P-ID-1)', async () => {
    const report = await kitAgainstCompanion({ mount: 'express', tokenLifetimeSeconds: 5, wechatTimeoutMs: 1000, breakage: longTokens(4200) })
    expect(report.exitCode).toBe(1)
    expect(report.results?.find((r) => r.id === 'login-identity')).toMatchObject({ status: 'fail', rule: 'P-ID-1', saw: expect.stringMatching(/a token of 4200 characters, not all visible ASCII or too many \(the guard takes 1–4096\)/) })
    expect(report.output).not.toMatch(/x{100}/)
  }, 60_000)

  it('takes a token of exactly 4096 characters', async () => {
    const report = await kitAgainstCompanion({ mount: 'koa', tokenLifetimeSeconds: 5, wechatTimeoutMs: 1000, breakage: longTokens(4096) })
    expect(report.results?.find((r) => r.id === 'login-identity')).toMatchObject({ status: 'pass' })
  }, 60_000)
})

describe('a SHOULD not followed: no token after a failed flag-0 decrypt (P-ID-1)', () => {
  const ids = ['failed-decrypt-stores-key', 'reply-shapes']
  async function against(args: string[]) {
    const wechatPort = await freePort()
    const companion = await startCompanion({ mount: 'node:http', wechatPort, tokenLifetimeSeconds: 5, breakage: noTokenAfterDecryptFailed() })
    try {
      let out = ''
      const run = await runKit(['--server', companion.url, '--wechat-port', String(wechatPort), ...args], { out: (t) => (out += t), err: () => undefined }, only(...ids))
      return { run, out }
    } finally {
      await companion.close()
    }
  }

  it('is a WARN row and a warning in --json, exit 0', async () => {
    const { run, out } = await against(['--json'])
    expect(run.exitCode).toBe(0)
    const report = JSON.parse(out)
    expect(report).toMatchObject({ strict: false, passed: 1, warned: 1, failed: 0, conformant: true })
    expect(report.results[0]).toMatchObject({ id: 'failed-decrypt-stores-key', status: 'warn', rule: 'P-ID-1', warnings: [{ rule: 'P-ID-1', saw: expect.stringMatching(/DECRYPT_FAILED.*carries no token/) }] })
    const table = await against([])
    expect(table.out).toMatch(/\| failed-decrypt-stores-key: [^|]+ \| WARN \| [^|]+ carries no token \| P-ID-1 \|/)
    expect(table.out).toMatch(/1 passed, 1 warned, 0 failed, 0 skipped in [\d.]+ s: conformant, with warnings/)
  }, 60_000)

  it('is a failure with --strict, exit 1', async () => {
    const { run, out } = await against(['--strict'])
    expect(run.exitCode).toBe(1)
    expect(result(run, 'failed-decrypt-stores-key')).toMatchObject({ status: 'fail', rule: 'P-ID-1' })
    expect(out).toMatch(/\| failed-decrypt-stores-key: [^|]+ \| FAIL \| [^|]+ \| P-ID-1 \|/)
    expect(out).toMatch(/NOT conformant \(--strict/)
  }, 60_000)
})

describe('a SHOULD not followed: a token of its own for each login (P-ID-5)', () => {
  it('one token per user: a WARN row, a failure with --strict', async () => {
    const wechatPort = await freePort()
    const backend = await startCompanion({ mount: 'node:http', wechatPort, tokenLifetimeSeconds: 5, breakage: oneTokenPerUser() })
    try {
      const args = ['--server', backend.url, '--wechat-port', String(wechatPort), '--json']
      let out = ''
      const run = await runKit(args, { out: (t) => (out += t), err: () => undefined }, only('token-per-login'))
      expect(run.exitCode).toBe(0)
      expect(JSON.parse(out).results[0]).toMatchObject({ id: 'token-per-login', status: 'warn', rule: 'P-ID-5' })
      const strict = await runKit([...args, '--strict'], { out: () => undefined, err: () => undefined }, only('token-per-login'))
      expect(strict.exitCode).toBe(1)
      expect(result(strict, 'token-per-login')).toMatchObject({ status: 'fail', rule: 'P-ID-5' })
    } finally {
      await backend.close()
    }
  }, 60_000)
})

describe('a SHOULD not followed: protocol replies with HTTP 200 (P-STATUS-1)', () => {
  it('failures answered with HTTP 400: the guard reads them all the same, so a WARN; a failure with --strict', async () => {
    const wechatPort = await freePort()
    const companion = await startCompanion({ mount: 'node:http', wechatPort, tokenLifetimeSeconds: 5 })
    const proxy = await failureStatusProxy(companion.url, 400)
    try {
      const args = ['--server', proxy.base, '--wechat-port', String(wechatPort)]
      const ids = only('no-key', 'bad-input', 'reply-shapes')
      const run = await runKit(args, { out: () => undefined, err: () => undefined }, ids)
      expect(run.results?.map((r) => [r.id, r.status])).toEqual([
        ['no-key', 'pass'],
        ['bad-input', 'pass'],
        ['reply-shapes', 'warn'],
      ])
      expect(result(run, 'reply-shapes')).toMatchObject({ rule: 'P-STATUS-1', saw: expect.stringMatching(/data route: HTTP 400 .*SESSION_KEY_MISSING/) })
      expect(run.exitCode).toBe(0)
      expect((await runKit([...args, '--strict'], { out: () => undefined, err: () => undefined }, ids)).exitCode).toBe(1)
    } finally {
      await proxy.close()
      await companion.close()
    }
  }, 60_000)
})

describe('a SHOULD not followed: bodies up to 128 KiB accepted (P-HTTP-3)', () => {
  it('a 32 KiB body limit: the large payload is a WARN (413 TOO_LARGE seen), a failure with --strict', async () => {
    const wechatPort = await freePort()
    const companion = await startCompanion({ mount: 'node:http', wechatPort, tokenLifetimeSeconds: 5, breakage: { http: { maxBodyBytes: 32 * 1024 } } })
    try {
      const args = ['--server', companion.url, '--wechat-port', String(wechatPort)]
      const run = await runKit(args, { out: () => undefined, err: () => undefined }, only('large-payload', 'reply-shapes'))
      expect(run.exitCode).toBe(0)
      // 413 TOO_LARGE is a transport refusal: its status is no warning of its own.
      expect(result(run, 'reply-shapes')).toMatchObject({ status: 'pass' })
      expect(result(run, 'large-payload')).toMatchObject({ status: 'warn', rule: 'P-HTTP-3', saw: expect.stringMatching(/6\d{4} characters of encryptedData: HTTP 413 .*TOO_LARGE/) })
      const strict = await runKit([...args, '--strict'], { out: () => undefined, err: () => undefined }, only('large-payload'))
      expect(strict.exitCode).toBe(1)
    } finally {
      await companion.close()
    }
  }, 60_000)
})

describe("phone codes bound to their user: the openid named to getuserphonenumber (P-PHONE-5)", () => {
  async function against(named: 'none' | 'wrong', args: string[]) {
    const wechatPort = await freePort()
    const companion = await startCompanion({ mount: 'node:http', wechatPort, tokenLifetimeSeconds: 5, breakage: phoneCodeOpenid(named) })
    try {
      return await runKit(['--server', companion.url, '--wechat-port', String(wechatPort), ...args], { out: () => undefined, err: () => undefined }, only('phone-code-bound'))
    } finally {
      await companion.close()
    }
  }

  it("none named: another user's phone code is answered; a WARN, a failure with --strict", async () => {
    const run = await against('none', [])
    expect(run.exitCode).toBe(0)
    expect(result(run, 'phone-code-bound')).toMatchObject({ status: 'warn', rule: 'P-PHONE-5', saw: expect.stringMatching(/without the user's openid; another user's phone code answered: HTTP 200 .*"ok":true/) })
    const strict = await against('none', ['--strict'])
    expect(strict.exitCode).toBe(1)
    expect(result(strict, 'phone-code-bound')).toMatchObject({ status: 'fail', rule: 'P-PHONE-5' })
  }, 60_000)

  it("another id named: WeChat refuses the user's own code, a failure", async () => {
    const run = await against('wrong', [])
    expect(run.exitCode).toBe(1)
    expect(result(run, 'phone-code-bound')).toMatchObject({ status: 'fail', rule: 'P-PHONE-5', saw: expect.stringMatching(/PHONE_CODE_REJECTED/) })
  }, 60_000)
})

describe('the kit bounds what it reads', () => {
  it('a 1 GiB reply to every request: read up to its limit and dropped, each time; exit 1', async () => {
    const server = await hugeReplies(GIB)
    try {
      const run = await kit(server.base, ['--token-lifetime', '5'], ['login-identity', 'concurrent-flag-0', 'reply-shapes'])
      expect(run.exitCode).toBe(1)
      expect(result(run, 'login-identity')).toMatchObject({ status: 'fail', saw: expect.stringMatching(/a reply over 1024 KiB: the kit stopped reading/) })
      expect(run.ms).toBeLessThan(30_000)
      // What the server got to produce before the kit hung up: the limit, plus what the sockets buffer.
      expect(server.perReply.length).toBeGreaterThanOrEqual(22)
      expect(Math.max(...server.perReply)).toBeLessThan(REPLY_BYTES_LIMIT + 32 * 1024 ** 2)
    } finally {
      await server.close()
    }
  }, 60_000)

  // The bound is --reply-timeout (default REQUEST_TIMEOUT_MS, 12 s: test/conformance/cli.test.ts); 2 s here keeps the run short.
  it(`replies that drip forever: each cut off after --reply-timeout, the run over after ${GIVE_UP_AFTER_UNANSWERED} of them; exit 1`, async () => {
    const server = await drippingReplies(100)
    try {
      const run = await kit(server.base, ['--token-lifetime', '5', '--reply-timeout', '2'])
      expect(run.exitCode).toBe(1)
      expect(result(run, 'login-identity')).toMatchObject({ status: 'fail', saw: expect.stringMatching(/no whole answer within 2 s/) })
      expect(result(run, 'bad-input')).toMatchObject({ status: 'fail', saw: expect.stringMatching(/not sent: the last 3 requests got no whole answer in time/) })
      expect(run.results?.filter((r) => r.status === 'pass').map((r) => r.id)).toEqual([])
      expect(run.ms).toBeGreaterThanOrEqual(GIVE_UP_AFTER_UNANSWERED * 2000)
      expect(run.ms).toBeLessThan(GIVE_UP_AFTER_UNANSWERED * 2000 + 10_000)
    } finally {
      await server.close()
    }
  }, 60_000)

  it.each([
    ['dripping', 100],
    ['endless', 'flood'],
  ] as const)('headers %s: no answer the kit can use, exit 2 within --wait', async (_what, everyMs) => {
    const server = await endlessHeaders(everyMs)
    try {
      const run = await kit(server.base, ['--wait', '2'])
      expect(run.exitCode).toBe(2)
      expect(run.err).toMatch(/did not answer within 2 s/)
      expect(run.ms).toBeLessThan(6000)
    } finally {
      await server.close()
    }
  }, 30_000)
})

/**
 * The code samples of docs/protocol.md and docs/protocol.en.md, run: the kit's command line parses as
 * the kit parses it, and the `--config` sample drives the kit, end to end, against a backend that
 * answers `{ code, msg, data }` (the companion's handler behind that app's own routes).
 */
import express from 'express'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULTS, parseKitArgs } from '../../conformance/cli/args'
import { loadClientOptions } from '../../conformance/cli/load-config'
import { ALL_SCENARIOS } from '../../conformance/scenarios/all-scenarios'
import { companion, freePort, runKitAgainst, SESSION_SECRET } from '../conformance/companion-under-test'
import { listen } from '../server/http-listen'

const pages = ['docs/protocol.md', 'docs/protocol.en.md'].map((path) => readFileSync(path, 'utf8'))
const blocks = (text: string, lang: string) => [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1])
const configSample = (text: string) => (/<!-- sample: conformance-config -->\s*```js\n([\s\S]*?)```/.exec(text) as RegExpExecArray)[1]

describe('docs/protocol: the kit command', () => {
  it.each(pages.map((text, i) => [i === 0 ? 'zh' : 'en', text] as const))('%s: every sh block is a valid session-guard-conformance command', (_lang, text) => {
    const commands = blocks(text, 'sh')
    expect(commands.length).toBeGreaterThan(0)
    for (const command of commands) {
      const [npx, bin, ...argv] = command.trim().split(/\s+/)
      expect([npx, bin]).toEqual(['npx', 'session-guard-conformance'])
      expect(parseKitArgs(argv)).toMatchObject({ server: 'http://127.0.0.1:8080', wechatPort: 7301, tokenLifetimeSeconds: 5 })
    }
  })
})

/** An app whose API answers { code: 0, msg, data } and takes `flag`, `encrypted_data` and an X-Session header: the companion's handler inside. */
async function codeMsgBackend(wechatPort: number, lifetimeSeconds: number) {
  const handler = companion.createOpenDataHandler({
    appId: DEFAULTS.appId,
    api: companion.createWeChatApi({ appId: DEFAULTS.appId, appSecret: DEFAULTS.secret, baseUrl: `http://127.0.0.1:${wechatPort}`, timeoutMs: 1000 }),
  })
  const tokens = companion.createSessionTokens({ sessionSecret: SESSION_SECRET, sessionLifetimeSeconds: lifetimeSeconds })
  const CODES: Record<string, number> = { SESSION_KEY_MISSING: 40101, DECRYPT_FAILED: 40102, CODE_REJECTED: 40103 }
  const answer = (result: Awaited<ReturnType<typeof handler.login>>) => {
    const session = result.exchanged && result.openid ? tokens.issue(result.openid) : {}
    const { reply } = result
    if (reply.ok) return { code: 0, msg: 'ok', data: { ...(reply.data || {}), ...session } }
    return { code: CODES[reply.reason] || 50000, msg: reply.reason, data: session }
  }
  const app = express()
  app.use(express.json())
  app.post('/api/login', async (req, res) => void res.json(answer(await handler.login(req.body))))
  app.post('/api/phone', async (req, res) => {
    const { flag, encrypted_data, ...rest } = (req.body || {}) as Record<string, unknown>
    const token = /^Bearer (\S+)$/.exec(String(req.headers['x-session'] || ''))?.[1]
    res.json(answer(await handler.openData({ ...rest, sessionKeyValidFlag: flag, encryptedData: encrypted_data }, tokens.verify(token))))
  })
  return listen(app)
}

describe('docs/protocol: the --config sample', () => {
  let dir: string
  let file: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'conformance-config-'))
    file = join(dir, 'conformance.config.js')
    writeFileSync(file, configSample(pages[1]))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('is the same in both languages', () => {
    expect(configSample(pages[0])).toBe(configSample(pages[1]))
  })

  it('loads as the kit loads it', async () => {
    const options = await loadClientOptions(file)
    expect(options.classify({ code: 0, msg: 'ok', data: {} })).toBe('ok')
    expect(options.classify({ code: 40102, msg: 'DECRYPT_FAILED' })).toBe('decrypt-failed')
    expect(options.classify({ code: 50000, msg: 'WECHAT_UNAVAILABLE' })).toBe('failed')
    expect(options).toMatchObject({ header: 'X-Session', fields: { sessionKeyValidFlag: 'flag', encryptedData: 'encrypted_data' }, defaultShape: false })
    expect(options.fromReply({ code: 0, data: { token: 't', expiresIn: 60 } })).toEqual({ token: 't', expiresIn: 60 })
  })

  it('drives the kit against a { code, msg, data } backend: every scenario passes', async () => {
    const wechatPort = await freePort()
    const backend = await codeMsgBackend(wechatPort, 5)
    try {
      const report = await runKitAgainst(backend.base, wechatPort, 5, ['--config', file, '--login-path', '/api/login', '--data-path', '/api/phone'])
      expect(report.failed).toEqual([])
      expect(report.exitCode).toBe(0)
    } finally {
      await backend.close()
    }
  }, 60_000)
})

describe('docs/protocol: the scenario table', () => {
  const tableOf = (text: string) =>
    [...(text.split('<!-- scenarios -->')[1] || '').matchAll(/^\| `([^`]+)` \| [^|]+ \| (P-[A-Z]+-\d+) \|$/gm)].map((m) => [m[1], m[2]])

  it.each(pages.map((text, i) => [i === 0 ? 'zh' : 'en', text] as const))('%s lists every scenario the kit runs, in order, with its rule', (_lang, text) => {
    expect(tableOf(text)).toEqual(ALL_SCENARIOS.map((s) => [s.id, s.rule]))
  })

  it('every rule the kit can name is defined on both pages', () => {
    const source = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? source(join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : []))
    const named = new Set(source('conformance').flatMap((text) => text.match(/\bP-[A-Z]+-\d+\b/g) || []))
    expect(named.size).toBeGreaterThan(15)
    for (const rule of named) for (const page of pages) expect([rule, page.includes(`**${rule}**`)]).toEqual([rule, true])
  })
})

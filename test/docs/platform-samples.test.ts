/**
 * The platform parts of the docs, run as written: the kit's `--platform` command line against the
 * companion on Baidu, the platform-scenario table of both protocol pages, and the companion page's
 * multi-platform server and Baidu decrypt samples.
 */
import type { IncomingMessage } from 'node:http'
import ts from 'typescript'
import { platformDataScenarios } from '../../conformance/scenarios/platform-data'
import { ONLY_ON } from '../../conformance/scenarios/by-platform'
import { createSessionTokens } from '../../server'
import { freePort } from '../conformance/companion-under-test'
import { startPlatformCompanion } from '../conformance/platform-companions'
import { runKit } from '../../conformance/cli/run-kit'
import { listen } from '../server/http-listen'
import { runSample } from '../support/run-sample'
import { BAIDU_SAMPLE, BAIDU_SAMPLE_DATA } from '../support/baidu-sample'
import { sample } from './doc-pages'
import { readFileSync } from 'node:fs'

const protocol = { zh: readFileSync('docs/protocol.md', 'utf8'), en: readFileSync('docs/protocol.en.md', 'utf8') }
const transpiled = (code: string) => ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018, esModuleInterop: true } }).outputText
const shBlock = (text: string) => (/<!-- sample: kit-platform -->\s*```sh\n([^\n]+)\n```/.exec(text) as RegExpExecArray)[1]

describe('docs/protocol: the kit per platform', () => {
  it.each(Object.entries(protocol))('%s: the --platform command line passes the companion on Baidu', async (_lang, text) => {
    const line = shBlock(text)
    expect(shBlock(protocol.zh)).toBe(shBlock(protocol.en))
    const args = line.replace(/^npx session-guard-conformance /, '').split(/\s+/)
    const wechatPort = await freePort()
    const server = await startPlatformCompanion('baidu', wechatPort, Number(args[args.indexOf('--token-lifetime') + 1]))
    const set = (flag: string, value: string) => (args[args.indexOf(flag) + 1] = value)
    set('--server', server.base)
    set('--wechat-port', String(wechatPort))
    let out = ''
    try {
      const run = await runKit(args, { out: (t) => (out += t), err: () => undefined })
      expect(run.results?.filter((r) => r.status !== 'pass')).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(out).toMatch(/fake baidu API/)
    } finally {
      await server.close()
    }
  }, 60_000)

  it.each(Object.entries(protocol))('%s lists every platform scenario with its rule and platforms', (_lang, text) => {
    const rows = [...(text.split('<!-- platform-scenarios -->')[1] || '').matchAll(/^\| `([^`]+)` \| [^|]+ \| (P-[A-Z]+-\d+) \| ([a-z, ]+) \|$/gm)].map((m) => [m[1], m[2], m[3].split(', ')])
    expect(rows).toEqual(platformDataScenarios.map((s) => [s.id, s.rule, ONLY_ON[s.id]]))
  })
})

describe('docs/companion: the platform samples', () => {

  it.each(['companion', 'companion.en'])('%s: openBaidu opens the official sample and names the reason for another App Key', (page) => {
    const { openBaidu } = runSample(transpiled(sample(`docs/${page}.md`, 'companion/decrypt-baidu'))) as { openBaidu: (...a: string[]) => unknown }
    expect(openBaidu(BAIDU_SAMPLE.sessionKey, BAIDU_SAMPLE.encryptedData, BAIDU_SAMPLE.iv, BAIDU_SAMPLE.appKey)).toEqual(BAIDU_SAMPLE_DATA)
    expect(openBaidu(BAIDU_SAMPLE.sessionKey, BAIDU_SAMPLE.encryptedData, BAIDU_SAMPLE.iv, 'another-app-key')).toBe('WATERMARK_MISMATCH')
  })

  it.each(['companion', 'companion.en'])('%s: the multi-platform server routes per platform, and each gate takes only its own tokens', async (page) => {
    const mod = runSample(transpiled(sample(`docs/${page}.md`, 'companion/platforms'))) as {
      server: import('node:http').Server
      companions: { prefix: string; gate: { openidOf(req: IncomingMessage): string | undefined } }[]
    }
    expect(mod.companions.map((c) => c.prefix)).toEqual(['/weixin', '/toutiao', '/baidu'])
    const running = await listen((req, res) => mod.server.emit('request', req, res))
    try {
      const post = (path: string) => fetch(running.base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(async (r) => [r.status, await r.json().catch(() => null)])
      expect(await post('/baidu/login')).toEqual([200, { ok: false, reason: 'BAD_INPUT' }])
      expect(await post('/toutiao/open-data')).toEqual([200, { ok: false, reason: 'BAD_INPUT' }])
      expect((await post('/alipay/login'))[0]).toBe(404)
    } finally {
      await running.close()
    }
    const sessionSecret = 'a-session-secret-of-at-least-32-chars'
    const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` } }) as IncomingMessage
    const douyinToken = createSessionTokens({ sessionSecret, appId: 'tt0123456789abcdef', platform: 'toutiao' }).issue('o-1').token
    expect(mod.companions[1].gate.openidOf(request(douyinToken))).toBe('o-1')
    expect(mod.companions[0].gate.openidOf(request(douyinToken))).toBeUndefined()
  })
})

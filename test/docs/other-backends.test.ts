/**
 * docs/other-backends.{md,en.md}: both pages carry the same samples; the shell sample (the PHP server
 * checked by the kit) runs as written, with only its ports and store path changed; the PHP sample
 * passes `php -l`; each SDK sample uses the option its section names.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describeWithPhp } from '../support/php'
import { freePort } from '../support/redis'

const ROOT = path.join(__dirname, '../..')
const pages = { zh: 'docs/other-backends.md', en: 'docs/other-backends.en.md' }
const read = (page: string) => readFileSync(path.join(ROOT, page), 'utf8')

function blocks(page: string): { lang: string; code: string }[] {
  return [...read(page).matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }))
}

function sample(page: string, name: string, lang: string): string {
  const match = new RegExp(`<!-- sample: ${name} -->\\n\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(read(page))
  if (!match) throw new Error(`${page} lost its ${name} sample`)
  return match[1]
}

describe('docs/other-backends', () => {
  it('shows the same samples in Chinese and in English', () => {
    expect(blocks(pages.zh)).toEqual(blocks(pages.en))
    expect(blocks(pages.en).map((b) => b.lang)).toEqual(['text', 'sh', 'text', 'java', 'php', 'go', 'python'])
  })

  it('names the exact option of each SDK in its sample', () => {
    const code = Object.fromEntries(blocks(pages.en).map((b) => [b.lang, b.code]))
    expect(code.java).toContain('config.setApiHostUrl("http://127.0.0.1:7301")')
    expect(code.php).toMatch(/'http' => \[\s*'base_uri' => 'http:\/\/127\.0\.0\.1:7301\/'/)
    expect(code.go).toContain('util.SetURIModifier(func(uri string) string {')
    expect(code.python).toContain('API_BASE_URL = FAKE + "cgi-bin/"')
    expect(code.python).toContain('WeChatWxa.API_BASE_URL = FAKE')
  })

  it('gives the kit’s interface as the issue fixes it', () => {
    const synopsis = blocks(pages.en)[0].code
    for (const option of ['--server', '--login-path', '--data-path', '--wechat-port', '--appid', '--secret', '--config', '--json', '--strict']) expect(synopsis).toContain(option)
  })
})

describeWithPhp()('docs/other-backends samples, run', () => {
  it('the EasyWeChat sample is valid PHP', () => {
    const lint = spawnSync('php', ['-l'], { input: sample(pages.en, 'easywechat', 'php'), encoding: 'utf8', timeout: 10000 })
    expect(lint.stdout).toContain('No syntax errors detected')
    expect(lint.status).toBe(0)
  })

  it('the shell sample starts the PHP server and the kit passes it', async () => {
    expect(existsSync(path.join(ROOT, 'conformance_dist/cli.js'))).toBe(true) // built by `npm run build`
    const [serverPort, wechatPort] = [await freePort(), await freePort()]
    const dir = mkdtempSync(path.join(tmpdir(), 'other-backends-'))
    const script = sample(pages.en, 'php-kit', 'sh')
      .split('127.0.0.1:8080').join(`127.0.0.1:${serverPort}`)
      .split('127.0.0.1:7301').join(`127.0.0.1:${wechatPort}`)
      .split('--wechat-port 7301').join(`--wechat-port ${wechatPort}`)
      .split('/tmp/php-server.sqlite').join(path.join(dir, 'store.sqlite'))
    // The sample leaves `php -S` running in the background, as a shell would: the trap ends it.
    const child = spawn('bash', ['-c', `trap 'kill $(jobs -p) 2>/dev/null' EXIT\n${script}`], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    let timer: ReturnType<typeof setTimeout> | undefined
    const code = await new Promise<number | null>((resolve) => {
      timer = setTimeout(() => {
        process.kill(-(child.pid as number), 'SIGKILL')
        resolve(null)
      }, 80000)
      child.once('exit', (status) => resolve(status))
    })
    clearTimeout(timer)
    try {
      process.kill(-(child.pid as number), 'SIGTERM')
    } catch {
      // The group is gone already.
    }
    rmSync(dir, { recursive: true, force: true })
    expect(out).toMatch(/\d+ passed, 0 warned, 0 failed, 0 skipped .*\(--strict/)
    expect(code).toBe(0)
  }, 90000)
})

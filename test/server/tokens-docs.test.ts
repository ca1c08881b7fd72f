/** docs/tokens.md and docs/tokens.en.md: every code sample runs, in both languages, and says what happens. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createSessionTokens } from '../../server'
import { decideWeChatMode } from '../../example-server/wechat-mode'
import { listen } from './http-listen'

const PAGES = ['docs/tokens.md', 'docs/tokens.en.md']
const blocks = (page: string, lang: string) => [...readFileSync(path.join(__dirname, '../..', page), 'utf8').matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1])
const withoutComments = (code: string) => code.replace(/ *\/\/.*$/gm, '')

type Exports = Record<string, (...args: never[]) => unknown>

/** Runs a sample as the CommonJS file it is, with the package name resolving to this source tree. */
async function run(code: string): Promise<Exports> {
  const module = { exports: {} as Exports }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireFromDocs = (id: string) => (id === 'miniprogram-session-guard/server' ? require('../../server') : require(id))
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>
  await new AsyncFunction('require', 'module', code)(requireFromDocs, module)
  return module.exports
}

describe.each(PAGES)('%s', (page) => {
  const [format, revocation] = blocks(page, 'js')

  it('has the same samples as the other language (comments aside)', () => {
    const other = PAGES.find((p) => p !== page) as string
    expect(blocks(page, 'js').map(withoutComments)).toEqual(blocks(other, 'js').map(withoutComments))
    expect(blocks(page, 'sh')).toEqual(blocks(other, 'sh'))
  })

  it('the issue / verify / inspect sample runs, its assertions included', async () => {
    await expect(run(format)).resolves.toBeDefined()
  })

  it('the revocation sample: /me serves a token until logout denies it, and then only that token', async () => {
    const { me, logout } = (await run(revocation)) as unknown as Record<string, (req: unknown, res: unknown) => unknown>
    const http = await listen((req, res) => void (req.url === '/logout' ? logout(req, res) : me(req, res)))
    try {
      const tokens = createSessionTokens({ sessionSecret: 'a-session-secret-of-at-least-32-chars', appId: 'wx4f4bc4dec97d474b' })
      const [mine, otherDevice] = [tokens.issue('o-1').token, tokens.issue('o-1').token]
      const get = (route: string, token: string) => fetch(http.base + route, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) }).then((r) => r.status)
      expect(await get('/me', mine)).toBe(200)
      expect(await get('/logout', mine)).toBe(204)
      expect(await get('/me', mine)).toBe(401)
      expect(await get('/me', otherDevice)).toBe(200)
    } finally {
      await http.close()
    }
  })

  it('each example:server line ends in what decideWeChatMode decides for it', () => {
    const lines = blocks(page, 'sh').join('').trim().split('\n')
    expect(lines.length).toBeGreaterThan(3)
    for (const line of lines) {
      const [command, outcome] = line.split('#').map((s) => s.trim())
      const words = command.split(/\s+/)
      const env = Object.fromEntries(words.filter((w) => /^[A-Z_]+=/.test(w)).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]))
      expect(words.slice(-3)).toEqual(['npm', 'run', 'example:server'])
      let decided: string
      try {
        decided = decideWeChatMode(env).kind
      } catch {
        decided = 'refused'
      }
      expect([line, decided]).toEqual([line, outcome])
    }
  })
})

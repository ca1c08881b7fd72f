/**
 * docs/taro.{md,en.md} and docs/uni-app.{md,en.md}: every code sample is a file of examples/taro or
 * examples/uni-app as it is (`<!-- sample: examples/… -->`) or a contiguous part of one
 * (`<!-- excerpt: examples/… -->`), so the framework build tests (test/frameworks/), which build those
 * examples with the frameworks' own CLIs and tap them, run every sample; shell lines name the example's
 * own scripts. Both languages show the same samples.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

const ROOT = path.join(__dirname, '../..')
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')

interface Sample {
  lang: string
  code: string
  kind?: 'sample' | 'excerpt'
  file?: string
}

function samples(page: string): Sample[] {
  return [...read(page).matchAll(/(?:<!-- (sample|excerpt): ([\w./@-]+) -->\n)?```(\w*)\n([\s\S]*?)```/g)].map((m) => ({
    kind: m[1] as Sample['kind'],
    file: m[2],
    lang: m[3],
    code: m[4],
  }))
}

describe.each([
  ['taro', ['src/app.ts', 'src/session-guard.ts', 'src/pages/index/index.tsx', 'src/pages/button/index.tsx', 'src/pages/button/index.config.ts', 'src/account/pages/me/index.tsx', 'src/chat/pages/index/index.tsx']],
  ['uni-app', ['src/App.vue', 'src/session-guard.ts', 'src/pages/index/index.vue', 'src/pages/button/index.vue', 'src/pages.json', 'src/account/pages/me/index.vue']],
] as const)('docs/%s', (framework, required) => {
  const pages = [`docs/${framework}.md`, `docs/${framework}.en.md`]
  const example = `examples/${framework}`
  const scripts = JSON.parse(read(`${example}/package.json`)).scripts as Record<string, string>

  it('shows the same samples in Chinese and in English', () => {
    expect(samples(pages[0])).toEqual(samples(pages[1]))
  })

  it.each(pages)('%s: every code sample is a file of the example, or part of one, as it is', (page) => {
    for (const sample of samples(page).filter((s) => s.lang !== 'bash')) {
      expect({ block: sample.code.slice(0, 60), file: sample.file?.startsWith(`${example}/`) }).toEqual({ block: sample.code.slice(0, 60), file: true })
      const file = sample.file as string
      expect(existsSync(path.join(ROOT, file))).toBe(true)
      if (sample.kind === 'sample') expect(sample.code).toBe(read(file).endsWith('\n') ? read(file) : `${read(file)}\n`)
      else expect(read(file)).toContain(sample.code.replace(/\n$/, ''))
    }
  })

  it.each(pages)('%s: shows the app file, both kinds of page and the subpackage', (page) => {
    const shown = samples(page).map((s) => s.file)
    for (const file of required) expect(shown).toContain(`${example}/${file}`)
  })

  it.each(pages)('%s: shell lines install the package or run the example’s own scripts', (page) => {
    const lines = samples(page)
      .filter((s) => s.lang === 'bash')
      .flatMap((s) => s.code.split('\n'))
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter(Boolean)
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      const run = /^npm run ([\w:-]+)$/.exec(line)
      if (run) expect(Object.keys(scripts)).toContain(run[1])
      else expect(line).toBe('npm i miniprogram-session-guard')
    }
  })
})

it('the README links both pages in its docs table', () => {
  const readme = read('README.md')
  for (const page of ['taro', 'uni-app']) {
    expect(readme).toContain(`(docs/${page}.md)`)
    expect(readme).toContain(`(docs/${page}.en.md)`)
  }
})

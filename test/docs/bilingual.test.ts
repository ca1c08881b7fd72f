/**
 * Every docs page pair (docs/<page>.md in Chinese, docs/<page>.en.md in English) names the same API:
 * the same set of identifiers in inline code (`createSessionGuard`, `holdLogins()`, `NO_QUOTA`,
 * `guard.request`, `__usePrivacyCheck__` …). Generic: any pair present in docs/ is compared, whoever wrote it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const DOCS = path.join(__dirname, '../../docs')

/** The identifiers a page mentions in inline code, outside fenced blocks; `name()` counts as `name`. */
export function apiNames(markdown: string): Set<string> {
  const prose = markdown.replace(/^\s*```[\s\S]*?^\s*```\s*$/gm, '')
  const names = new Set<string>()
  for (const [, span] of prose.matchAll(/`([^`\n]+)`/g)) {
    const name = span.trim().replace(/\(\)$/, '')
    if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(name) && /[A-Za-z]/.test(name)) names.add(name)
  }
  return names
}

const pairs = readdirSync(DOCS)
  .filter((f) => f.endsWith('.en.md'))
  .map((en) => en.replace(/\.en\.md$/, ''))
  .filter((page) => existsSync(path.join(DOCS, `${page}.md`)))

it('finds the page pairs', () => {
  expect(pairs.length).toBeGreaterThan(0)
})

it('every English page has its Chinese page and back', () => {
  const md = readdirSync(DOCS).filter((f) => f.endsWith('.md'))
  const orphans = md.filter((f) => (f.endsWith('.en.md') ? !md.includes(f.replace(/\.en\.md$/, '.md')) : !md.includes(f.replace(/\.md$/, '.en.md'))))
  expect(orphans).toEqual([])
})

it.each(pairs.map((p) => [p]))('docs/%s.md and .en.md name the same API', (page) => {
  const zh = apiNames(readFileSync(path.join(DOCS, `${page}.md`), 'utf8'))
  const en = apiNames(readFileSync(path.join(DOCS, `${page}.en.md`), 'utf8'))
  expect({ onlyInChinese: [...zh].filter((n) => !en.has(n)).sort(), onlyInEnglish: [...en].filter((n) => !zh.has(n)).sort() }).toEqual({ onlyInChinese: [], onlyInEnglish: [] })
})

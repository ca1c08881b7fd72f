/**
 * The documentation this harness holds to its samples, named one by one: README.md and the docs pages
 * the docs owner writes. A page another owner writes joins by being added to DOC_PAGES (its blocks are
 * then type-checked, parsed or claimed like these) — see test/docs/README.md.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'

export const ROOT = path.join(__dirname, '../..')

const PAIRS = ['guide', 'api', 'companion', 'phone-number-button', 'phone-number', 'example', 'troubleshooting', 'migration-werequest', 'architecture', 'platforms']

export const DOC_PAGES = ['README.md', ...PAIRS.flatMap((page) => [`docs/${page}.md`, `docs/${page}.en.md`])]

export interface Block {
  page: string
  lang: string
  code: string
  /** From a `<!-- sample: name -->` line right above the fence. */
  name?: string
  /** 1-based line of the opening fence. */
  line: number
}

export function readPage(page: string): string {
  return readFileSync(path.join(ROOT, page), 'utf8')
}

/** Every fenced block of a page; fences may be indented (inside list items). */
export function blocksOf(page: string): Block[] {
  const lines = readPage(page).split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i])
    if (!open) continue
    const indent = open[1].length
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(Math.min(indent, lines[j].length - lines[j].trimStart().length)))
    const marker = i > 0 ? /<!-- sample: ([\w./-]+) -->/.exec(lines[i - 1]) || (i > 1 && lines[i - 1].trim() === '' ? /<!-- sample: ([\w./-]+) -->/.exec(lines[i - 2]) : null) : null
    blocks.push({ page, lang: open[2], code: body.join('\n') + '\n', name: marker ? marker[1] : undefined, line: i + 1 })
    i = j
  }
  return blocks
}

/** The block marked `<!-- sample: name -->` on a page; a test that runs it fails loudly when it is gone. */
export function sample(page: string, name: string): string {
  const found = blocksOf(page).find((b) => b.name === name)
  if (!found) throw new Error(`${page} has no block marked <!-- sample: ${name} -->`)
  return found.code
}

/** Named blocks that a test runs as written (rather than only type-checks): block name → the test that runs it. */
export const RUN_BY: Record<string, string> = {
  'readme/page.wxml': 'test/docs/new-miniprogram.e2e.test.ts',
  'guide/page.wxml': 'test/session/readme-usage.e2e.test.ts',
  'curl-walkthrough': 'test/example/readme-curl.e2e.test.ts',
  'login-page.wxml': 'test/component/readme-login-page.test.ts',
  'login-page.ts': 'test/component/readme-login-page.test.ts',
  'realtime.wxml': 'test/component/readme-login-page.test.ts',
}

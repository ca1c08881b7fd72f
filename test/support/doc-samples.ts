/**
 * The code samples of a docs page pair, by file name: a ```js block whose first line is
 * `// <name>`. The Chinese and the English page must carry the same code, byte for byte.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const PAGES = ['redis.md', 'redis.en.md']

function samplesOf(page: string): Map<string, string> {
  const text = readFileSync(join(__dirname, '../../docs', page), 'utf8')
  const samples = new Map<string, string>()
  for (const match of text.matchAll(/```(?:js|ts)\n\/\/ ([\w.-]+)\n([\s\S]*?)```/g)) samples.set(match[1], `// ${match[1]}\n${match[2]}`)
  return samples
}

export function docSampleNames(): string[] {
  return [...samplesOf(PAGES[0]).keys()]
}

export function docSample(name: string): string {
  const [zh, en] = PAGES.map((page) => samplesOf(page).get(name))
  if (zh === undefined || en === undefined) throw new Error(`docs/${PAGES.join(' and docs/')} must both carry the sample ${name}`)
  if (zh !== en) throw new Error(`the sample ${name} differs between docs/${PAGES[0]} and docs/${PAGES[1]}`)
  return zh
}

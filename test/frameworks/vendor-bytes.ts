/**
 * What the package adds to a framework's vendor chunk, read from the build output: Taro (webpack) keeps
 * each npm module as one function in the chunk's module table, so its size is exact; uni-app (vite, i.e.
 * rollup) hoists modules into one scope, so the package is the run of top-level statements from the first
 * to the last one holding its own strings (its error messages and storage key).
 */
import { parse, type Node } from 'acorn'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

const ROOT = path.join(__dirname, '../..')

export interface Slice {
  bytes: number
  gzipped: number
  /** How many separate places in the whole build hold the package's code. */
  copies: number
}

/** Strings only the package's code holds: messages with a space or a colon, 12 characters or more. */
export function packageStrings(): string[] {
  const code = readFileSync(path.join(ROOT, 'miniprogram_dist/index.js'), 'utf8')
  return [...new Set([...code.matchAll(/"([^"\\]{12,})"/g)].map((m) => m[1]).filter((s) => /[ :]/.test(s)))]
}

const MARKER = 'no wx: pass options.wx'

function slice(code: string, start: number, end: number, copies: number): Slice {
  const text = code.slice(start, end)
  return { bytes: Buffer.byteLength(text), gzipped: gzipSync(text).length, copies }
}

/** Occurrences of the package's marker string in every .js file of a build. */
export function copiesIn(files: string[]): number {
  return files.reduce((n, file) => n + readFileSync(file, 'utf8').split(MARKER).length - 1, 0)
}

type ModuleTable = Node & { properties: (Node & { value: Node })[] }

/** Taro: the webpack module (one property of the chunk's module table) that holds the package. */
export function webpackModule(file: string): Slice {
  const code = readFileSync(file, 'utf8')
  const tables: ModuleTable[] = []
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return
    const n = node as Node & Record<string, unknown>
    if (n.type === 'ObjectExpression' && (n as unknown as ModuleTable).properties.some((p) => p.value && /Function/.test(p.value.type))) tables.push(n as unknown as ModuleTable)
    for (const value of Object.values(n)) (Array.isArray(value) ? value : [value]).forEach((v) => v && typeof v === 'object' && 'type' in v && visit(v))
  }
  visit(parse(code, { ecmaVersion: 'latest', sourceType: 'script' }))
  const modules = tables.flatMap((t) => t.properties).filter((p) => code.slice(p.start, p.end).includes(MARKER))
  const innermost = modules.sort((a, b) => a.end - a.start - (b.end - b.start))[0]
  if (!innermost) throw new Error(`${file} holds no module with the package`)
  return slice(code, innermost.start, innermost.end, code.split(MARKER).length - 1)
}

/** uni-app: the run of top-level statements holding the package's strings. */
export function hoistedRun(file: string): Slice {
  const code = readFileSync(file, 'utf8')
  const strings = packageStrings()
  const body = (parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true }) as unknown as { body: Node[] }).body
  const holding = body.filter((statement) => {
    const text = code.slice(statement.start, statement.end)
    return strings.some((s) => text.includes(s))
  })
  if (holding.length === 0) throw new Error(`${file} holds none of the package's strings`)
  return slice(code, holding[0].start, holding[holding.length - 1].end, code.split(MARKER).length - 1)
}

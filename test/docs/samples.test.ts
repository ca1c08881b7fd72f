/**
 * @jest-environment jsdom
 *
 * Every code block in the pages of DOC_PAGES is checked as what it is: TypeScript is type-checked under
 * `strict` (mini program code with miniprogram-api-typings, Node code with @types/node) against the
 * built package's typings; JSON parses; WXML compiles and renders with miniprogram-simulate; shell
 * lines name scripts and binaries that exist. Blocks a test runs as written are claimed in RUN_BY.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import ts from 'typescript'
import { blocksOf, DOC_PAGES, ROOT, RUN_BY, sample, type Block } from './doc-pages'

const BASE: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  target: ts.ScriptTarget.ES2018,
  lib: ['lib.es2018.d.ts'],
  esModuleInterop: true,
  skipLibCheck: true,
  baseUrl: ROOT,
  // The package as a user's project resolves it once installed: its built typings.
  paths: {
    'miniprogram-session-guard': ['miniprogram_dist/index.d.ts'],
    'miniprogram-session-guard/server': ['server_dist/types/server/index.d.ts'],
  },
}
const MINIPROGRAM: ts.CompilerOptions = { ...BASE, types: ['miniprogram-api-typings'] }
const NODE: ts.CompilerOptions = { ...BASE, types: ['node'] }

const isNodeCode = (code: string) => /from '(node:|miniprogram-session-guard\/server|express|koa|ioredis)|require\('(node:|wx-server-sdk)/.test(code)

/** A block's file: the path its first-line comment names, or one of its own; scripts become modules. */
function fileOf(block: Block, index: number): { name: string; text: string } {
  const named = /^\/\/ ([\w./-]+\.ts)\s*$/m.exec(block.code.split('\n')[0])
  const name = named ? named[1] : `sample-${index}-line-${block.line}.ts`
  const isModule = /^\s*(import|export)\s/m.test(block.code)
  return { name, text: name.endsWith('.d.ts') || isModule ? block.code : `${block.code}\nexport {}\n` }
}

const libCache = new Map<string, ts.SourceFile | undefined>()

function typeCheck(page: string, blocks: Block[], options: ts.CompilerOptions, extra: Record<string, string>): string[] {
  const dir = path.join(ROOT, 'test/docs/.virtual', page.replace(/[^\w]/g, '_'))
  const files = new Map<string, string>()
  for (const [name, text] of Object.entries(extra)) files.set(path.join(dir, name), text)
  blocks.forEach((block, i) => {
    const { name, text } = fileOf(block, i)
    // Two blocks that name one file are alternatives (node:http, Express, Koa): each gets a folder of its own.
    const full = files.has(path.join(dir, name)) ? path.join(dir, `alternative-${i}`, name) : path.join(dir, name)
    files.set(full, text)
  })
  const host = ts.createCompilerHost(options)
  const { fileExists, readFile, getSourceFile, directoryExists } = host
  host.fileExists = (f) => files.has(f) || fileExists(f)
  // A page's blocks may import each other by relative path (a page importing its utils/ module).
  host.directoryExists = (d) => [...files.keys()].some((f) => f.startsWith(d + path.sep)) || !directoryExists || directoryExists(d)
  host.readFile = (f) => files.get(f) ?? readFile(f)
  host.getSourceFile = (f, language) => {
    const own = files.get(f)
    if (own !== undefined) return ts.createSourceFile(f, own, language, true)
    if (!libCache.has(f)) libCache.set(f, getSourceFile(f, language))
    return libCache.get(f)
  }
  const program = ts.createProgram([...files.keys()], options, host)
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(dir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start || 0).line + 1}` : ''
    return `${page} ${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
  })
}

// IAppOption as the README declares it: the pages' samples use getApp<IAppOption>() the same way.
const README_TYPINGS = { 'typings/readme-app-option.d.ts': sample('README.md', 'readme/typings') }

// Loaded once: simulate runs a component's js through require, which jest does not re-run.
let loadedButton: string | undefined
const button = () => (loadedButton ??= simulate.load(path.join(ROOT, 'miniprogram_dist/phone-number-button/index'), { compiler: 'simulate' }))

describe.each(DOC_PAGES.map((page) => [page]))('%s', (page) => {
  const blocks = blocksOf(page)
  const ts_ = blocks.filter((b) => b.lang === 'ts')

  it('has only blocks this harness knows how to check', () => {
    expect(blocks.filter((b) => !['ts', 'json', 'html', 'bash'].includes(b.lang)).map((b) => `${b.lang || '(none)'} at line ${b.line}`)).toEqual([])
  })

  it('TypeScript blocks type-check under strict', () => {
    const node = ts_.filter((b) => isNodeCode(b.code))
    const miniprogram = ts_.filter((b) => !isNodeCode(b.code))
    const extra = page === 'README.md' ? {} : README_TYPINGS
    expect([...typeCheck(page, miniprogram, MINIPROGRAM, extra), ...typeCheck(`${page}.node`, node, NODE, {})]).toEqual([])
  })

  it('JSON blocks parse', () => {
    for (const block of blocks.filter((b) => b.lang === 'json')) expect(() => JSON.parse(block.code)).not.toThrow()
  })

  it('WXML blocks compile and render (the ones a test runs as written are claimed)', () => {
    for (const block of blocks.filter((b) => b.lang === 'html')) {
      const page = simulate.render(simulate.load({ template: block.code, usingComponents: { 'phone-number-button': button() } }))
      page.attach(document.createElement('parent-wrapper'))
      expect(page.dom).toBeTruthy()
    }
  })

  it('shell lines run scripts and binaries that exist; blocks run as written are claimed by their test', () => {
    const scripts = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>
    for (const block of blocks.filter((b) => b.lang === 'bash' && !b.name)) {
      const commands = block.code.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean).flatMap((l) => l.split(/&&|;/).map((c) => c.trim()))
      for (const command of commands) {
        const run = /^npm run ([\w:-]+)/.exec(command)
        if (run) expect(Object.keys(scripts)).toContain(run[1])
        const npx = /^npx ([\w-]+)/.exec(command)
        if (npx) expect(existsSync(path.join(ROOT, 'node_modules/.bin', npx[1]))).toBe(true)
        expect(command).toMatch(/^(npm (ci|i|pack|test|run)\b|npx |cd |git )/)
      }
    }
  })
})

it('every block claimed as run by a test is named in that test', () => {
  const named = new Set(DOC_PAGES.flatMap((page) => blocksOf(page).map((b) => b.name)))
  for (const [name, test] of Object.entries(RUN_BY)) {
    expect(named).toContain(name)
    expect(readFileSync(path.join(ROOT, test), 'utf8')).toContain(name)
  }
})

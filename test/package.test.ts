/**
 * What ships: one CommonJS file WeChat's JS engine can run, its typings, and
 * nothing else; within the size budget; publint clean. Runs on the build that
 * `npm test` makes first.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { parse } from 'acorn'
import { gzipSync } from 'node:zlib'

const root = join(__dirname, '..')
const dist = (file: string) => join(root, 'miniprogram_dist', file)
// ES5 (issue 18) costs bytes here — prototypes for classes — and saves them in what WeChat's compiler
// ships (test/compiled/ holds that budget). Measured: index.js 9,542 B, all shipped JS 10,316 B (the
// button twice: in miniprogram_dist/ and at the package root), with no async function left. Was 8,217 /
// 8,742 B before the device slot (~850 B: issues 23), five platforms (~220 B: issue 24), data kinds and
// the expiresIn cap (~115 B: issue 25): regression limits, re-based on what those features cost.
const INDEX_BUDGET = 9650
const SHIPPED_JS_BUDGET = 10450
const gzipped = (text: string) => gzipSync(text, { level: 9 }).length

function shippedJs(dir = join(root, 'miniprogram_dist')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? shippedJs(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  )
}

describe('the built package', () => {
  const code = readFileSync(dist('index.js'), 'utf8')

  it(`keeps index.js within ${INDEX_BUDGET} bytes gzipped`, () => {
    const size = gzipped(code)
    console.log(`miniprogram_dist/index.js: ${code.length} bytes, ${size} bytes gzipped (budget ${INDEX_BUDGET})`)
    expect(size).toBeLessThanOrEqual(INDEX_BUDGET)
  })

  it(`keeps all shipped JS within ${SHIPPED_JS_BUDGET} bytes gzipped`, () => {
    const files = shippedJs()
    const total = files.reduce((sum, file) => sum + gzipped(readFileSync(file, 'utf8')), 0)
    console.log(`miniprogram_dist/**/*.js: ${files.length} files, ${total} bytes gzipped (budget ${SHIPPED_JS_BUDGET})`)
    expect(files.length).toBeGreaterThan(1)
    expect(total).toBeLessThanOrEqual(SHIPPED_JS_BUDGET)
  })

  it('requires nothing: no runtime dependency, no Node built-in', () => {
    expect(code).not.toMatch(/\brequire\s*\(/)
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies).toBeUndefined()
  })

  it('touches no global but wx, and the timers and Date every JS engine has', () => {
    for (const name of ['window', 'document', 'process', 'Buffer', 'global', 'globalThis', 'setImmediate', 'localStorage']) {
      expect(code).not.toMatch(new RegExp(`\\b${name}\\b`))
    }
  })

  it('is ES5 syntax, so it runs as is where WeChat\'s ES6→ES5 switch is off (iOS 9 JavaScriptCore, Android X5)', () => {
    for (const file of shippedJs()) expect(() => parse(readFileSync(file, 'utf8'), { ecmaVersion: 5 })).not.toThrow()
  })

  it('ships no generator helper: no async function is left for tslib\'s __awaiter/__generator (nor its SuppressedError)', () => {
    // The names are mangled; the helpers' own strings and statements are not.
    expect(code.match(/Generator is already executing|\bSuppressedError\b|\.label\b|\bsent\(\)/g)).toBeNull()
  })

  it('uses no built-in the oldest engines lack: no Proxy or Reflect, Symbol only where it is checked for first', () => {
    // Promise, Map, Set and WeakMap exist there natively or through the core-js the base library carries.
    for (const file of shippedJs()) {
      const code = readFileSync(file, 'utf8')
      expect(code).not.toMatch(/\b(Proxy|Reflect)\b/)
      expect(code.replace(/"function"==typeof Symbol&&\(\w+\[Symbol\.iterator\]/g, '')).not.toMatch(/\bSymbol\b/)
    }
  })

  it('runs in a bare sandbox with only wx: exports createSessionGuard', () => {
    const sandbox = { module: { exports: {} as Record<string, unknown> }, exports: {}, wx: { login() {}, checkSession() {} }, setTimeout, clearTimeout }
    sandbox.exports = sandbox.module.exports
    runInNewContext(code, sandbox)
    const { createSessionGuard } = sandbox.module.exports as { createSessionGuard: (o: object) => { inspect(): object } }
    expect(createSessionGuard({ send: () => Promise.resolve({ ok: true }) }).inspect()).toMatchObject({ login: 'idle' })
  })

  it('packs only the built client and server code, the conformance kit, typings, README, LICENSE and CHANGELOG', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }))
    const files: string[] = pack.files.map((f: { path: string }) => f.path)
    for (const file of files) {
      expect(file).toMatch(/^(miniprogram_dist\/.+\.(js|d\.ts|wxml|wxss|json)|miniprogram_dist\/index\.js\.map|phone-number-button\.(js|json|wxml|wxss)|server_dist\/.+\.(js|d\.ts)|conformance_dist\/cli\.js|bin\/session-guard-wxcomponents\.js|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/)
    }
    expect(files).toEqual(expect.arrayContaining(['miniprogram_dist/index.js', 'miniprogram_dist/index.d.ts', 'server_dist/index.js', 'conformance_dist/cli.js', 'README.md', 'LICENSE', 'CHANGELOG.md']))
  })

  it('ships the component at the package root too, the same files: `miniprogram-session-guard/phone-number-button` as bundlers resolve it literally (Taro)', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }))
    const files: string[] = pack.files.map((f: { path: string }) => f.path)
    for (const ext of ['js', 'json', 'wxml', 'wxss']) {
      expect(files).toContain(`phone-number-button.${ext}`)
      expect(readFileSync(join(root, `phone-number-button.${ext}`), 'utf8')).toBe(readFileSync(dist(`phone-number-button/index.${ext}`), 'utf8'))
    }
    expect(files).toContain('bin/session-guard-wxcomponents.js')
    expect(statSync(join(root, 'bin/session-guard-wxcomponents.js')).mode & 0o111).toBe(0o111)
  })

  it('builds the kit’s bin executable, so `npx session-guard-conformance` runs in this repository too', () => {
    const cli = join(root, 'conformance_dist', 'cli.js')
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(statSync(cli).mode & 0o111).toBe(0o111)
    const help = execFileSync('npx', ['session-guard-conformance', '--help'], { cwd: root, encoding: 'utf8', timeout: 30000 })
    expect(help).toContain('--server')
  })

  it('is publint clean', () => {
    const out = execFileSync('npx', ['publint', '--strict'], { cwd: root, encoding: 'utf8' })
    expect(out).not.toMatch(/error|warning|suggestion/i)
  })
})

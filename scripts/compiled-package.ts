/**
 * The package as a phone gets it: compiled by WeChat's compiler (ES6→ES5 on, minify on) inside a mini
 * program (scripts/compile-miniprogram.js), measured with every babel helper it pulls in.
 * `compiledPackage()` compiles once per build (cached by the content of miniprogram_dist), for the
 * tests, the bench and `npm run compiled-size`.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, posix, relative } from 'node:path'
import { gzipSync } from 'node:zlib'

const root = join(__dirname, '..')
export const PACKAGE_DIR = 'miniprogram_npm/miniprogram-session-guard'
const COMPILE_TIMEOUT_MS = 120_000

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}

/** The compiled code package for the current miniprogram_dist, compiled once and kept under the OS temp dir. */
export function compiledPackage(options: { es6?: boolean } = {}): string {
  const es6 = options.es6 !== false
  const hash = createHash('sha256')
  for (const file of filesUnder(join(root, 'miniprogram_dist')).sort()) hash.update(relative(root, file)).update(readFileSync(file))
  for (const script of ['compile-miniprogram.js', 'bench-clients.js']) hash.update(readFileSync(join(root, 'scripts', script)))
  const dir = join(tmpdir(), `session-guard-compiled-${es6 ? 'es5' : 'as-is'}-${hash.digest('hex').slice(0, 16)}`)
  const done = () => existsSync(join(dir, PACKAGE_DIR, 'index.js'))
  if (done()) return dir
  // One compile per build even when several test workers ask at once: the first takes the lock, the
  // others wait for its result (bounded, like every wait here).
  const lock = `${dir}.lock`
  let locked = false
  try {
    mkdirSync(lock)
    locked = true
  } catch {
    const until = Date.now() + COMPILE_TIMEOUT_MS
    while (!done() && existsSync(lock) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    if (done()) return dir
  }
  const scratch = `${dir}.${process.pid}`
  try {
    execFileSync(process.execPath, [join(root, 'scripts/compile-miniprogram.js'), scratch, ...(es6 ? [] : ['--es6=off'])], { stdio: ['ignore', 'ignore', 'inherit'], timeout: COMPILE_TIMEOUT_MS })
    renameSync(scratch, dir)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
    if (locked) rmSync(lock, { recursive: true, force: true })
  }
  return dir
}

export interface ShippedFile {
  file: string
  raw: number
  gzip: number
}

export interface CompiledSize {
  packageFiles: ShippedFile[]
  helpers: ShippedFile[]
  raw: number
  /** Sum of each file gzipped on its own. */
  gzip: number
  /** All the files gzipped as one stream. */
  gzipTogether: number
}

const gzipped = (text: string) => gzipSync(text, { level: 9 }).length
const REQUIRE = /require\("([^"]+)"\)/g

/** The package's js files in the compiled code package, and every file they require outside the package (babel's helpers), transitively. */
export function compiledSize(dir: string): CompiledSize {
  const packageFiles = filesUnder(join(dir, PACKAGE_DIR)).filter((f) => f.endsWith('.js'))
  const helpers = new Set<string>()
  const queue = [...packageFiles]
  while (queue.length) {
    const file = queue.pop() as string
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(REQUIRE)) {
      if (!spec.startsWith('.')) continue
      const target = join(dirname(file), spec.endsWith('.js') ? spec : `${spec}.js`)
      if (target.startsWith(join(dir, PACKAGE_DIR)) || helpers.has(target)) continue
      helpers.add(target)
      queue.push(target)
    }
  }
  const measure = (file: string): ShippedFile => {
    const text = readFileSync(file, 'utf8')
    return { file: relative(dir, file).split('\\').join(posix.sep), raw: Buffer.byteLength(text), gzip: gzipped(text) }
  }
  const own = packageFiles.map(measure)
  const pulled = [...helpers].sort().map(measure)
  const all = [...own, ...pulled]
  const together = gzipped([...packageFiles, ...pulled.map((f) => join(dir, f.file))].map((f) => readFileSync(f, 'utf8')).join('\n'))
  return { packageFiles: own, helpers: pulled, raw: all.reduce((s, f) => s + f.raw, 0), gzip: all.reduce((s, f) => s + f.gzip, 0), gzipTogether: together }
}

const kb = (bytes: number) => `${bytes} B (${(bytes / 1024).toFixed(1)} KiB)`

export function describeSize(size: CompiledSize): string {
  const line = (f: ShippedFile) => `  ${f.file.padEnd(72)} ${String(f.raw).padStart(7)} ${String(f.gzip).padStart(7)}`
  return [
    `  ${'file'.padEnd(72)} ${'raw'.padStart(7)} ${'gzip'.padStart(7)}`,
    ...size.packageFiles.map(line),
    `  babel helpers pulled in: ${size.helpers.length}${size.helpers.some((h) => /regeneratorRuntime/.test(h.file)) ? ' (regeneratorRuntime among them)' : ''}`,
    ...size.helpers.map(line),
    `  shipped (package + helpers): ${kb(size.raw)} raw, ${kb(size.gzip)} gzip file by file, ${kb(size.gzipTogether)} gzip as one stream`,
  ].join('\n')
}


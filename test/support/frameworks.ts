/**
 * The framework examples (examples/taro, examples/uni-app) built by their own CLIs. They need their own
 * node_modules (`npm ci` in each example, which .ci/run does); without them their suites skip
 * (global-setup.ts says so once), and SESSION_GUARD_REQUIRE_FRAMEWORKS=1 turns that into a failure.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const EXAMPLES = path.join(__dirname, '../../examples')
const ROOT = path.join(__dirname, '../..')

export const FRAMEWORKS = {
  taro: { cli: 'taro', build: 'build:weapp', dist: 'dist' },
  'uni-app': { cli: 'uni', build: 'build:mp-weixin', dist: 'dist/build/mp-weixin' },
} as const
export type Framework = keyof typeof FRAMEWORKS

/** The example's dependencies are installed: its framework's CLI is there. */
export function frameworkInstalled(name: Framework): boolean {
  return existsSync(path.join(EXAMPLES, name, 'node_modules/.bin', FRAMEWORKS[name].cli))
}

/** `describe` where the example's dependencies are installed, `describe.skip` elsewhere. */
export function describeWithFramework(name: Framework): jest.Describe {
  return frameworkInstalled(name) ? describe : describe.skip
}

export interface Built {
  /** The build output's root, what WeChat's devtools open. */
  dist: string
  /** Wall time of the framework's build, in ms. */
  buildMs: number
}

/**
 * As a user does it: the package from the `npm pack` tarball of this repository (`npm i --no-save`, so the
 * example's package.json and lockfile stay as committed), then the example's build script, which runs
 * the framework's CLI (`taro build --type weapp`, `uni build -p mp-weixin`).
 */
export function buildExample(name: Framework): Built {
  const dir = path.join(EXAMPLES, name)
  const packDir = mkdtempSync(path.join(tmpdir(), `session-guard-${name}-`))
  try {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' })) as { filename: string }[]
    execFileSync('npm', ['i', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', path.join(packDir, packed.filename)], { cwd: dir, stdio: 'pipe', timeout: 120000 })
  } finally {
    rmSync(packDir, { recursive: true, force: true })
  }
  rmSync(path.join(dir, FRAMEWORKS[name].dist), { recursive: true, force: true })
  const started = Date.now()
  execFileSync('npm', ['run', FRAMEWORKS[name].build], { cwd: dir, stdio: 'pipe', timeout: 300000, env: { ...process.env, NODE_ENV: 'production' } })
  return { dist: path.join(dir, FRAMEWORKS[name].dist), buildMs: Date.now() - started }
}

import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const ROOT = path.join(__dirname, '../..')

/**
 * A new project directory with the package installed as a user installs it: from the tarball `npm pack`
 * makes (of the build the test suite made first), unpacked into node_modules. `devPackages` are linked
 * from this repository's node_modules, as `npm i -D` would have installed them.
 */
export function projectWithPackedPackage(prefix: string, devPackages: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as { filename: string }[]
  const tarball = path.join(dir, packed.filename)
  const installed = path.join(dir, 'node_modules', 'miniprogram-session-guard')
  mkdirSync(installed, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])
  for (const name of devPackages) {
    const to = path.join(dir, 'node_modules', name)
    mkdirSync(path.dirname(to), { recursive: true })
    symlinkSync(path.join(ROOT, 'node_modules', name), to, 'dir')
  }
  return { dir, tarball, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

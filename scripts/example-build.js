// npm run example:build — installs the package into the example exactly as `npm install` would (from the
// tarball `npm pack` makes), then runs miniprogram-ci's packNpmManually, which is what the devtools'
// "构建 npm" does. Offline: no appid, no key, no network.
const { execFileSync } = require('node:child_process')
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { join } = require('node:path')
const ci = require('miniprogram-ci')

const root = join(__dirname, '..')
const example = join(root, 'example-miniprogram')

async function main() {
  const scratch = mkdtempSync(join(tmpdir(), 'session-guard-pack-'))
  try {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }))
    const installed = join(example, 'node_modules', 'miniprogram-session-guard')
    rmSync(installed, { recursive: true, force: true })
    mkdirSync(installed, { recursive: true })
    execFileSync('tar', ['-xzf', join(scratch, packed.filename), '-C', installed, '--strip-components=1'])
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  rmSync(join(example, 'miniprogram_npm'), { recursive: true, force: true })
  const warnings = await ci.packNpmManually({
    packageJsonPath: join(example, 'package.json'),
    miniprogramNpmDistDir: example,
  })
  console.log('example-miniprogram/miniprogram_npm built', warnings && warnings.length ? warnings : '')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

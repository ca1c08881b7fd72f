/** What "构建 npm" (miniprogram-ci packNpmManually, via `npm run example:build`) leaves in the example. */
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const built = path.join(__dirname, '../../example-miniprogram/miniprogram_npm/miniprogram-session-guard')

function list(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? list(full, `${prefix}${name}/`) : [`${prefix}${name}`]
  })
}

describe('the npm-built package in the example mini program', () => {
  const files = list(built).sort()

  it('has the guard, the component’s four files and the typings', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'index.js',
        'index.d.ts',
        'phone-number-button/index.js',
        'phone-number-button/index.wxml',
        'phone-number-button/index.wxss',
        'phone-number-button/index.json',
        'phone-number-button/index.d.ts',
      ]),
    )
  })

  it('has nothing else: no sources, tests, maps or server code', () => {
    const unexpected = files.filter((f) => !/^(index\.js|phone-number-button\/index\.(js|wxml|wxss|json)|([\w-]+\/)?[\w-]+\.d\.ts)$/.test(f))
    expect(unexpected).toEqual([])
  })
})

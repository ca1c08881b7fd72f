/** What "构建 npm" (miniprogram-ci packNpmManually, via `npm run example:build`) leaves in the example. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
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

  it('has index.js.map beside index.js, with the sources inside it (WeChat\'s compiler reads it as the input map and leaves it out of the code package)', () => {
    expect(files).toContain('index.js.map')
    const map = JSON.parse(readFileSync(path.join(built, 'index.js.map'), 'utf8')) as { file: string; sources: string[]; sourcesContent?: string[] }
    expect(map.file).toBe('index.js')
    expect(map.sourcesContent).toHaveLength(map.sources.length)
    expect(readFileSync(path.join(built, 'index.js'), 'utf8').trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true)
  })

  it('has nothing else: no sources, tests, other maps or server code', () => {
    const unexpected = files.filter((f) => !/^(index\.js|index\.js\.map|phone-number-button\/index\.(js|wxml|wxss|json)|([\w-]+\/)?[\w-]+\.d\.ts)$/.test(f))
    expect(unexpected).toEqual([])
  })
})

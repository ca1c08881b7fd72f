/**
 * `session-guard-wxcomponents` (the package's bin for uni-app): run from the packed package as a user runs
 * it, it copies the shipped phone-number-button into the project's wxcomponents/ folder, which uni-app
 * copies into its WeChat build as is. Needs no framework installed.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { projectWithPackedPackage } from '../support/packed-package'

const project = projectWithPackedPackage('session-guard-wxcomponents-')
afterAll(() => project.remove())
const bin = path.join(project.dir, 'node_modules/miniprogram-session-guard/bin/session-guard-wxcomponents.js')
const shipped = (ext: string) => readFileSync(path.join(project.dir, 'node_modules/miniprogram-session-guard/miniprogram_dist/phone-number-button', `index.${ext}`), 'utf8')

it('copies the component into src/wxcomponents/phone-number-button by default, the files as shipped', () => {
  mkdirSync(path.join(project.dir, 'src'))
  const out = execFileSync(bin, [], { cwd: project.dir, encoding: 'utf8', timeout: 10000 })
  for (const ext of ['js', 'json', 'wxml', 'wxss']) {
    const copied = path.join(project.dir, 'src/wxcomponents/phone-number-button', `index.${ext}`)
    expect(readFileSync(copied, 'utf8')).toBe(shipped(ext))
    expect(out).toContain(path.join('src/wxcomponents/phone-number-button', `index.${ext}`))
  }
})

it('takes another folder, and says so and fails where its parent does not exist', () => {
  execFileSync(bin, ['components'], { cwd: project.dir, timeout: 10000 })
  expect(existsSync(path.join(project.dir, 'components/phone-number-button/index.js'))).toBe(true)
  const missing = spawnSync(bin, ['no/such/wxcomponents'], { cwd: project.dir, encoding: 'utf8', timeout: 10000 })
  expect(missing.status).toBe(1)
  expect(missing.stderr).toMatch(/does not exist/)
  expect(existsSync(path.join(project.dir, 'no'))).toBe(false)
})

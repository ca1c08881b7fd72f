/**
 * @jest-environment jsdom
 *
 * Done when: a new TypeScript mini program made from the README's 安装 and 用法 alone works. Its files
 * are the README's blocks as written (tsconfig.json, typings/index.d.ts, app.ts and the page's
 * .json/.wxml/.ts; app.json is the devtools template's); the package comes from the `npm pack`
 * tarball. It type-checks with tsc under the README's strict tsconfig and miniprogram-api-typings, is
 * npm-built by miniprogram-ci's packNpmManually, and runs under miniprogram-simulate (the TypeScript
 * transpiled as the devtools would) against the companion over real HTTP, WeChat being the model.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import ts from 'typescript'
import { realWorld, until } from '../component/harness'
import { httpRequest, startSessionCompanion, type Sent } from '../session/session-companion'
import { projectWithPackedPackage } from '../support/packed-package'
import { sample } from './doc-pages'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ci = require('miniprogram-ci') as { packNpmManually(o: { packageJsonPath: string; miniprogramNpmDistDir: string }): Promise<unknown> }

const project = projectWithPackedPackage('new-miniprogram-', ['miniprogram-api-typings'])
const dir = project.dir
afterAll(() => project.remove())

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
  writeFileSync(path.join(dir, file), text)
}

/** The README's files, and what every new project has: app.json from the template, a package.json that depends on the tarball. */
function createProject(): void {
  write('tsconfig.json', sample('README.md', 'readme/tsconfig.json'))
  write('typings/index.d.ts', sample('README.md', 'readme/typings'))
  write('app.ts', sample('README.md', 'readme/app'))
  write('pages/index/index.json', sample('README.md', 'readme/page.json'))
  write('pages/index/index.wxml', sample('README.md', 'readme/page.wxml'))
  write('pages/index/index.ts', sample('README.md', 'readme/page'))
  write('app.json', JSON.stringify({ pages: ['pages/index/index'] }))
  write('package.json', JSON.stringify({ name: 'my-miniprogram', private: true, dependencies: { 'miniprogram-session-guard': `file:${path.basename(project.tarball)}` } }))
}

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(dir, 'tsconfig.json'), ts.sys.readFile)
  return ts.parseJsonConfigFileContent(config.config, ts.sys, dir).options
}

describe('a new mini program made from the README alone', () => {
  beforeAll(() => createProject())

  it('type-checks with tsc under the README’s strict tsconfig and miniprogram-api-typings', () => {
    const options = compilerOptions()
    expect(options.strict).toBe(true)
    const program = ts.createProgram(['app.ts', 'pages/index/index.ts', 'typings/index.d.ts'].map((f) => path.join(dir, f)), { ...options, noEmit: true })
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  })

  it('is npm-built by miniprogram-ci (packNpmManually) from the packed package', async () => {
    await ci.packNpmManually({ packageJsonPath: path.join(dir, 'package.json'), miniprogramNpmDistDir: dir })
    for (const file of ['index.js', 'index.js.map', 'phone-number-button/index.js', 'phone-number-button/index.wxml', 'phone-number-button/index.json']) {
      expect(existsSync(path.join(dir, 'miniprogram_npm/miniprogram-session-guard', file))).toBe(true)
    }
  })

  describe('runs under miniprogram-simulate against the companion over HTTP', () => {
    let stop: () => Promise<void> = async () => undefined
    afterEach(() => stop())
    let pageId: string | undefined

    async function launch() {
      const world = realWorld(false)
      const companion = await startSessionCompanion(world)
      stop = companion.close
      const sent: Sent[] = []
      const storage = new Map<string, unknown>()
      // The phone: WeChat's login and checkSession from the model, wx.request over real HTTP to the companion standing in for https://api.example.com.
      const wx = {
        login: world.wx.login,
        checkSession: world.wx.checkSession,
        request: httpRequest(sent, (url) => url.replace('https://api.example.com', companion.url)),
        getStorageSync: (key: string) => storage.get(key) ?? '',
        setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
        removeStorageSync: (key: string) => void storage.delete(key),
      }
      let app: { onShow(): void; sessionGuard: { prepare(): Promise<unknown> } } | undefined
      Object.assign(globalThis, { wx, App: (definition: typeof app) => (app = definition), getApp: () => app })
      // The devtools compile the TypeScript; the runtime resolves the package to what 构建 npm produced.
      const options = { ...compilerOptions(), noEmit: false }
      const js = (file: string) => ts.transpileModule(readFileSync(path.join(dir, file), 'utf8'), { compilerOptions: options }).outputText
      const built = path.join(dir, 'miniprogram_npm/miniprogram-session-guard')
      const load = (id: string) => (id === 'miniprogram-session-guard' ? require(built) : require(id)) // eslint-disable-line @typescript-eslint/no-require-imports
      new Function('require', 'exports', js('app.ts'))(load, {})
      if (!pageId) {
        // Loaded once: simulate runs component and page js through require, which jest does not re-run.
        writeFileSync(path.join(dir, 'pages/index/index.js'), js('pages/index/index.ts'))
        const button = simulate.load(path.join(built, 'phone-number-button/index'), { compiler: 'simulate' })
        pageId = simulate.load(path.join(dir, 'pages/index/index'), { compiler: 'simulate', usingComponents: { 'phone-number-button': button } })
      }
      if (!app) throw new Error('app.ts did not call App()')
      app.onShow()
      await app.sessionGuard.prepare()
      const page = simulate.render(pageId)
      page.attach(document.createElement('parent-wrapper'))
      const text = (selector: string) => page.querySelector(selector)?.dom?.textContent || ''
      const logins = () => world.wechat.calls.filter((c) => c.api === 'login').length
      return { world, page, text, logins, sent }
    }

    it('onShow logs in once; a tap on the button shows the number; 我的账号 shows the user, with no other wx.login', async () => {
      const { world, page, text, logins, sent } = await launch()
      expect(logins()).toBe(1)
      const button = page.querySelector('.login >>> .psg-button')
      if (!button) throw new Error('the phone-number button did not render')
      button.dispatchEvent('tap')
      button.dispatchEvent('getphonenumber', { detail: world.wechat.consent('new-app').detail })
      await until(() => text('.phone') !== '')
      expect(text('.phone')).toBe('13800138000')
      expect(text('.hint')).toBe('')
      page.querySelector('.load-user')?.dispatchEvent('tap')
      await until(() => text('.user') !== '')
      expect(text('.user')).toMatch(/^[0-9a-f]{12}$/)
      expect(logins()).toBe(1)
      expect(sent.map((r) => `${r.path} ${r.status}`)).toEqual(['/login 200', '/open-data 200', '/me 200'])
    })

    it('a key rotated elsewhere: the tap answers retry (the page says 请再点一次) and the next tap shows the number', async () => {
      const { world, page, text } = await launch()
      world.wechat.loginElsewhere()
      const button = page.querySelector('.login >>> .psg-button')
      button?.dispatchEvent('tap')
      button?.dispatchEvent('getphonenumber', { detail: world.wechat.consent('stale').detail })
      await until(() => text('.hint') !== '')
      expect(text('.hint')).toBe('请再点一次')
      button?.dispatchEvent('tap')
      button?.dispatchEvent('getphonenumber', { detail: world.wechat.consent('again').detail })
      await until(() => text('.phone') !== '')
      expect(text('.phone')).toBe('13800138000')
    })
  })
})

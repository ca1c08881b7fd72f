// node scripts/compile-miniprogram.js <outDir> [--es6=off] [--minify=off]
//
// What a phone runs: a throwaway mini program that uses the package (the app creates a guard, a page
// uses phone-number-button), npm-built with miniprogram-ci's packNpmManually ("构建 npm"), then compiled
// by miniprogram-ci's getCompiledResult — WeChat's own compiler — with the devtools' defaults: "将 JS
// 编译成 ES5" on and minify on. Writes the compiled code package to <outDir> in its own layout
// (miniprogram_npm/…, @babel/runtime/helpers/…), with bench-clients.js, the bench's yardsticks. Offline: the project's attributes are stubbed, so no
// appid, key or network is needed (only a white-list fetch fails, harmlessly).
//
// It exits by itself: miniprogram-ci leaves handles open that would keep the process alive for minutes.
const { cpSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { dirname, join, resolve } = require('node:path')

const root = join(__dirname, '..')

const APP_JS = `const { createSessionGuard } = require('miniprogram-session-guard')
App({ sessionGuard: createSessionGuard({ send: (payload) => new Promise((resolve) => wx.request({ url: 'https://example.com/phone', method: 'POST', data: payload, success: (r) => resolve(r.data) })) }) })
`

// The bench's yardsticks (scripts/bench-clients.js), compiled the same way as the guard.
const BENCH_CLIENTS = join(__dirname, 'bench-clients.js')

function writeProject(dir, { es6, minify }) {
  const write = (file, text) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    writeFileSync(join(dir, file), typeof text === 'string' ? text : JSON.stringify(text, null, 2))
  }
  write('package.json', { name: 'compiled-probe', version: '1.0.0', dependencies: { 'miniprogram-session-guard': '*' } })
  const installed = join(dir, 'node_modules', 'miniprogram-session-guard')
  cpSync(join(root, 'miniprogram_dist'), join(installed, 'miniprogram_dist'), { recursive: true })
  copyFileSync(join(root, 'package.json'), join(installed, 'package.json'))
  write('app.js', APP_JS)
  copyFileSync(BENCH_CLIENTS, join(dir, 'bench-clients.js'))
  write('app.json', { pages: ['pages/index/index'] })
  write('pages/index/index.js', 'Component({ methods: { onResult(e) { console.log(e.detail.status) } } })\n')
  write('pages/index/index.json', { usingComponents: { 'phone-number-button': 'miniprogram-session-guard/phone-number-button/index' } })
  write('pages/index/index.wxml', '<phone-number-button bind:result="onResult">手机号登录</phone-number-button>\n')
  write('project.config.json', { appid: 'touristappid', compileType: 'miniprogram', libVersion: '2.0.0', setting: { es6, minified: minify } })
}

async function compile(outDir, { es6 = true, minify = true } = {}) {
  const ci = require('miniprogram-ci')
  const dir = mkdtempSync(join(tmpdir(), 'session-guard-compile-'))
  try {
    writeProject(dir, { es6, minify })
    await ci.packNpmManually({ packageJsonPath: join(dir, 'package.json'), miniprogramNpmDistDir: dir })
    const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath: dir, privateKey: 'any', ignores: ['node_modules/**/*'] })
    // The attributes the compiler would fetch with the upload key; these are a plain mini program's.
    project.attr = async () => ({ platform: true, appType: 0, isSandbox: false, released: false, setting: {}, gameApp: false })
    const files = await ci.getCompiledResult({ project, setting: { es6, minify, minifyJS: minify }, onProgressUpdate: () => {} })
    rmSync(outDir, { recursive: true, force: true })
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(outDir, file)), { recursive: true })
      writeFileSync(join(outDir, file), content)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  const [out, ...flags] = process.argv.slice(2)
  if (!out) {
    console.error('usage: node scripts/compile-miniprogram.js <outDir> [--es6=off] [--minify=off]')
    process.exit(2)
  }
  const es6 = !flags.includes('--es6=off')
  const minify = !flags.includes('--minify=off')
  // The compiler logs its progress on stdout; the caller wants only the result.
  console.log = () => {}
  console.warn = () => {}
  compile(resolve(out), { es6, minify }).then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${error && error.stack ? error.stack : error}\n`)
      process.exit(1)
    },
  )
}

module.exports = { compile }

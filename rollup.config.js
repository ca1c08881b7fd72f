// Builds the two halves: the mini program package (one ES5 CommonJS file WeChat's JS engine runs as is,
// and WeChat's "将 JS 编译成 ES5" leaves alone: tsconfig.build.json targets ES5, no async function is left
// (promise code, so no __awaiter/__generator), tslib's few helpers bundled once — no regenerator; plus typings) and the Node server companion (`miniprogram-session-guard/server`).
const { chmodSync, copyFileSync, mkdirSync } = require('node:fs')
const { dirname } = require('node:path')
const typescript = require('@rollup/plugin-typescript')
const terser = require('@rollup/plugin-terser')

// Internal member names, shortened in the shipped file. Only names that never meet an outside object
// (wx, options, replies, outcomes, events, inspect()) may be listed; the test suite runs on the build.
const INTERNAL_MEMBERS = [
  'timers', 'loginCallback', 'busyUntil', 'race', 'deadline', 'finish', 'armedAt', 'replyKind', 'settled', 'invoked',
  'limiter', 'sleepers', 'delayBeforeNextCall', 'tokenless', 'sawValidSession', 'holdAfterLogin', 'knownValid',
  'trackLoginCallback', 'advanceTo', 'checks', 'lastValid', 'whenFree', 'tryClaim', 'hasToken', 'claimLoginSlot',
  'disarm', 'whenClear', 'entries', 'remaining', 'phase', 'emit', 'gate', 'windowMs', 'sessionOf',
  'established', 'seen', 'version', 'stored', 'missing', 'expired', 'usable', 'route', 'after', 'waiting',
  'count', 'handle', 'cancel', 'done', 'limit', 'take', 'drop', 'headers', 'api', 'config',
  'expire', 'wake', 'fire', 'arm', 'run', 'forget', 'current', 'own', 'shared', 'res', 'at', 'fn', 'do', 'app', 'of',
  'refused', 'unread', 'strikes', 'relogin', 'flights', 'callMs',
  'deviceLock', 'lockWaiters', 'lockChange', 'whenChecked', 'landWhenCalledBack', 'wakeAll', 'device',
  'afterFirst',
]

const minify = () =>
  terser({
    ecma: 5,
    toplevel: true,
    compress: { passes: 3, unsafe_arrows: true, unsafe_methods: true, pure_getters: true },
    // builtins: names like race, emit or version are on terser's list of DOM properties, which it otherwise never renames.
    mangle: { properties: { builtins: true, regex: new RegExp(`^(${INTERNAL_MEMBERS.join('|')})$`) } },
    format: { comments: false },
  })

/**
 * Components ship their template, style and config beside the built js. miniprogram_dist/<folder>/ serves
 * WeChat's 构建 npm (the "miniprogram" field). The same four files also go to the package root as
 * <folder>.js/.json/.wxml/.wxss: Taro resolves the README's `miniprogram-session-guard/<folder>` literally
 * under node_modules (file first) and writes `/npm/miniprogram-session-guard/<folder>` into the page's
 * usingComponents, which WeChat then finds as those files whether or not it would look for <folder>/index.
 */
const copyComponentFiles = (folder) => ({
  name: 'copy-component-files',
  writeBundle() {
    for (const ext of ['wxml', 'wxss', 'json']) {
      const to = `miniprogram_dist/${folder}/index.${ext}`
      mkdirSync(dirname(to), { recursive: true })
      copyFileSync(`miniprogram_npm_src/${folder}/index.${ext}`, to)
    }
    for (const ext of ['js', 'wxml', 'wxss', 'json']) copyFileSync(`miniprogram_dist/${folder}/index.${ext}`, `${folder}.${ext}`)
  },
})

/** A bin runs by its shebang (`npx session-guard-conformance` in this repository too), so the file must be executable. */
const executable = (file) => ({
  name: 'executable',
  writeBundle() {
    chmodSync(file, 0o755)
  },
})

module.exports = [
  {
    input: 'miniprogram_npm_src/index.ts',
    output: { file: 'miniprogram_dist/index.js', format: 'cjs', exports: 'named', sourcemap: true },
    // tslib's module reads the global SuppressedError at load, for a helper we never use; reading a
    // global has no side effect here, so that statement goes (the code reads wx only where it uses it).
    treeshake: { unknownGlobalSideEffects: false },
    plugins: [
      typescript({ tsconfig: './tsconfig.build.json', outputToFilesystem: true }),
      ...(process.env.NO_MINIFY ? [] : [minify()]),
    ],
  },
  {
    input: 'miniprogram_npm_src/phone-number-button/index.ts',
    output: { file: 'miniprogram_dist/phone-number-button/index.js', format: 'cjs', sourcemap: false },
    plugins: [
      typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined, outDir: 'miniprogram_dist/phone-number-button' }),
      ...(process.env.NO_MINIFY ? [] : [minify()]),
      copyComponentFiles('phone-number-button'),
    ],
  },
  {
    input: 'server/index.ts',
    output: { file: 'server_dist/index.js', format: 'cjs', exports: 'named', sourcemap: false },
    external: (id) => id.startsWith('node:'),
    plugins: [typescript({ tsconfig: './tsconfig.server.json', outputToFilesystem: true })],
  },
  {
    // The conformance kit's bin: Node built-ins only, one file.
    input: 'conformance/index.ts',
    output: { file: 'conformance_dist/cli.js', format: 'cjs', sourcemap: false, banner: '#!/usr/bin/env node' },
    external: (id) => id.startsWith('node:'),
    plugins: [typescript({ tsconfig: './tsconfig.conformance.json' }), executable('conformance_dist/cli.js')],
  },
]

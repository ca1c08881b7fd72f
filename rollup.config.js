// Builds the two halves: the mini program package (one CommonJS file WeChat's JS engine can run, plus
// typings) and the Node server companion (`miniprogram-session-guard/server`).
const typescript = require('@rollup/plugin-typescript')
const terser = require('@rollup/plugin-terser')

module.exports = [
  {
    input: 'miniprogram_npm_src/index.ts',
    output: { file: 'miniprogram_dist/index.js', format: 'cjs', exports: 'named', sourcemap: false },
    plugins: [
      typescript({ tsconfig: './tsconfig.build.json', outputToFilesystem: true }),
      terser({ ecma: 2018, toplevel: true, compress: { passes: 3, unsafe_arrows: true, unsafe_methods: true, pure_getters: true }, format: { comments: false } }),
    ],
  },
  {
    input: 'server/index.ts',
    output: { file: 'server_dist/index.js', format: 'cjs', exports: 'named', sourcemap: false },
    external: (id) => id.startsWith('node:'),
    plugins: [typescript({ tsconfig: './tsconfig.server.json', outputToFilesystem: true })],
  },
]

// Lint for the whole repo; the shipped mini program code gets extra rules for WeChat's JS engine.
const js = require('@eslint/js')
const tseslint = require('typescript-eslint')

const NODE_BUILTINS = ['fs', 'path', 'crypto', 'http', 'https', 'os', 'util', 'events', 'stream', 'buffer', 'child_process', 'net', 'url']

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/', 'miniprogram_dist/', 'coverage/', '**/miniprogram_npm/', '.build/', 'server_dist/', 'conformance_dist/',
      // Built output: the component's copy at the package root, the framework examples' builds and the copy their bin makes.
      'phone-number-button.js', 'examples/*/dist/', 'examples/uni-app/src/wxcomponents/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['miniprogram_npm_src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*'], paths: NODE_BUILTINS }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'global', 'globalThis', 'require', 'module', 'setImmediate', 'localStorage'],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
)

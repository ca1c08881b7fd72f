/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json', diagnostics: false }] },
  testTimeout: 120000,
  // Jest's default is one worker fewer than the cores: on a two-core machine, one worker and every suite in
  // turn. The suites wait on nothing but CPU (virtual clocks, loopback), so each core gets a worker.
  maxWorkers: '100%',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFiles: ['<rootDir>/test/support/fast-check-seed.ts'],
  // The example pages load the package the way a mini program does: from what "构建 npm" produced.
  moduleNameMapper: {
    '^miniprogram-session-guard$': '<rootDir>/example-miniprogram/miniprogram_npm/miniprogram-session-guard/index.js',
    // The README's server samples require the built companion by its package name.
    '^miniprogram-session-guard/server$': '<rootDir>/server_dist/index.js',
  },
}

// The Jest preset of every Azora workspace that needs PostgreSQL: TypeScript through swc,
// one embedded server per run (globalSetup), a database per test file (createTestDatabase).
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      require.resolve('@swc/jest'),
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  globalSetup: path.join(__dirname, 'dist', 'global-setup.js'),
  globalTeardown: path.join(__dirname, 'dist', 'global-teardown.js'),
  testTimeout: 30_000,
  maxWorkers: 2,
};

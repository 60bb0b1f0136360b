// The Jest preset of every Azora workspace that needs PostgreSQL: TypeScript through swc,
// one embedded server per run (globalSetup), a database per test file (createTestDatabase).
const path = require('node:path');

module.exports = {
  ...require('../../jest.base'),
  globalSetup: path.join(__dirname, 'dist', 'global-setup.js'),
  globalTeardown: path.join(__dirname, 'dist', 'global-teardown.js'),
  testTimeout: 30_000,
  maxWorkers: 2,
};

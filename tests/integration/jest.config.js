// Real PostgreSQL per run, a database per test file: see @azora/testing. Test files here start
// real service processes, so they run one at a time.
module.exports = { preset: '@azora/testing', maxWorkers: 1, testTimeout: 120_000 };

// Real PostgreSQL per run, a database per test file: see @azora/testing.
module.exports = { preset: '@azora/testing' };

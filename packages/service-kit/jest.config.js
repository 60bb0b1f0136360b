// Real PostgreSQL per run, a database per test file: see @azora/test-database.
module.exports = { preset: '@azora/test-database' };

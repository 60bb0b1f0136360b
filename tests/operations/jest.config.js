// Real PostgreSQL per run (see @azora/testing). start-production.sh starts ten real services, so
// files run one at a time, with time for a loaded machine.
module.exports = { preset: '@azora/testing', maxWorkers: 1, testTimeout: 180_000 };

// The Jest preset of every Azora service: that of @azora/test-database (one embedded
// PostgreSQL per run, a database per test file), under the name services' tests know.
module.exports = require('@azora/test-database/jest-preset');

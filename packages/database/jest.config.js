// Jest config of @azora/database. Self-contained: @azora/testing depends on this package, so
// using its preset here would be a cycle. The tests start their own embedded servers.
module.exports = { ...require('../../jest.base'), testTimeout: 60_000 };

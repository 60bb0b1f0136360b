// Contracts are pure: no database, so no globalSetup (and no dependency on @azora/testing).
module.exports = require('../../jest.base');

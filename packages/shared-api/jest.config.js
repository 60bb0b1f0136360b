// The client needs no database: no globalSetup, so no dependency on @azora/testing. Tests start
// their own HTTP server on 127.0.0.1.
module.exports = require('../../jest.base');

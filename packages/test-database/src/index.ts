// @azora/test-database: what a test file needs to get a database of its own, and to wait for things.
export * from './test-database';
export * from './wait';

// @azora/database: PostgreSQL plumbing shared by the services, the launcher and the tests.
export * from './identifiers';
export * from './migrations';
export * from './bootstrap';
export * from './embedded';
export * from './ports';

// @azora/testing: what every service's tests share. A database of the test's own (from
// @azora/test-database), the suite every service passes, signed-in users and service
// credentials, signed event deliveries, and builders of courses and funded wallets.
export * from '@azora/test-database';
export * from './builders';
export * from './deliveries';
export * from './identities';
export * from './service-basics';

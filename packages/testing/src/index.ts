// @azora/testing: what every service's tests share. A database of the test's own (from
// @azora/test-database), a service under test set up in one call, the suite every service
// passes, signed-in users and service credentials, signed event deliveries, builders of courses
// and funded wallets, and waiting without sleeps.
export * from '@azora/test-database';
export * from './builders';
export * from './deliveries';
export * from './free-port-server';
export * from './identities';
export * from './service-basics';
export * from './test-service';
export * from './wait-until';

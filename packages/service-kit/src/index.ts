// @azora/service-kit: one entry point for everything services share.
export * from './api';
export * from './app';
export * from './clock';
export * from './config';
export * from './errors';
export * from './event-stream';
export * from './fatal-errors';
export * from './health';
export * from './http-client';
export * from './http-server';
export * from './idempotency-key';
export * from './input-guards';
export * from './lifecycle';
export * from './logger';
export * from './metrics';
export * from './request-context';
export * from './server-limits';
export * from './service';
export * from './sleep';
export * from './auth/service-credentials';
export * from './auth/user-tokens';
export * from './bus/consumer';
export * from './bus/nexus-client';
export * from './bus/outbox-signal';
export * from './bus/publish';
export * from './bus/relay';
export * from './bus/signature';
export * from './db/pool';
export { currentTraceparent, withSpan, flushTraces, type SpanOptions } from './tracing/bridge';
export {
  runMigrations,
  readMigrations,
  assertIdentifier,
  SHARED_MIGRATIONS,
  type Migration,
  type MigrateOptions,
  type MigrationSource,
} from '@azora/database';

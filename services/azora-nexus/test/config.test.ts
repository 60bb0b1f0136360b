import { ConfigError, loadConfig } from '@azora/service-kit';
import { configSchema } from '../src/config';
import { backoffDelay } from '../src/domain/backoff';

const DATABASE = { NEXUS_DATABASE_URL: 'postgres://azora_nexus:secret@127.0.0.1:5432/azora' };

describe('Configuration', () => {
  it('When no delivery variable is set, then the documented defaults apply', () => {
    const config = loadConfig(configSchema, DATABASE);
    expect(config).toMatchObject({ port: 3000, databaseUrl: DATABASE.NEXUS_DATABASE_URL });
    expect(config.delivery).toMatchObject({
      maxAttempts: 8,
      batchSize: 200,
      timeoutMs: 10_000,
      backoffBaseMs: 500,
      backoffMaxMs: 60_000,
    });
  });

  it('When delivery variables are set, then they are used', () => {
    const config = loadConfig(configSchema, {
      ...DATABASE,
      NEXUS_MAX_ATTEMPTS: '3',
      NEXUS_DELIVERY_BATCH: '50',
      NEXUS_DELIVERY_TIMEOUT_MS: '2000',
      NEXUS_BACKOFF_BASE_MS: '10',
      NEXUS_BACKOFF_MAX_MS: '100',
    });
    expect(config.delivery).toMatchObject({
      maxAttempts: 3,
      batchSize: 50,
      timeoutMs: 2000,
      backoffBaseMs: 10,
      backoffMaxMs: 100,
    });
  });

  it('When a delivery variable is malformed, then the error names it', () => {
    expect(() => loadConfig(configSchema, { ...DATABASE, NEXUS_DELIVERY_BATCH: 'lots' })).toThrow(ConfigError);
    expect(() => loadConfig(configSchema, { ...DATABASE, NEXUS_DELIVERY_BATCH: 'lots' })).toThrow(
      /NEXUS_DELIVERY_BATCH/,
    );
  });
});

describe('Configuration of the backend', () => {
  it('When NEXUS_BACKEND is not set, then events are kept in PostgreSQL', () => {
    expect(loadConfig(configSchema, DATABASE).backend).toEqual({ kind: 'postgres' });
  });

  it('When NEXUS_BACKEND=nats is set without NATS_URL, then the error names NATS_URL', () => {
    const load = () => loadConfig(configSchema, { ...DATABASE, NEXUS_BACKEND: 'nats' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/NATS_URL: required when NEXUS_BACKEND=nats/);
  });

  it('When NEXUS_BACKEND=nats is set with NATS_URL, then the stream settings take their documented defaults', () => {
    const config = loadConfig(configSchema, {
      ...DATABASE,
      NEXUS_BACKEND: 'nats',
      NATS_URL: 'nats://127.0.0.1:4222, nats://127.0.0.1:4223',
    });
    expect(config.backend).toEqual({
      kind: 'nats',
      servers: 'nats://127.0.0.1:4222, nats://127.0.0.1:4223',
      stream: 'NEXUS_EVENTS',
      duplicateWindowMs: 600_000,
      replicas: 1,
    });
  });

  it('When the backend or a NATS variable is malformed, then the error names it', () => {
    expect(() => loadConfig(configSchema, { ...DATABASE, NEXUS_BACKEND: 'kafka' })).toThrow(/NEXUS_BACKEND/);
    expect(() =>
      loadConfig(configSchema, { ...DATABASE, NEXUS_BACKEND: 'nats', NATS_URL: 'http://127.0.0.1:4222' }),
    ).toThrow(/NATS_URL/);
    expect(() =>
      loadConfig(configSchema, { ...DATABASE, NEXUS_BACKEND: 'nats', NATS_URL: 'nats://x:1', NATS_STREAM: 'a.b' }),
    ).toThrow(/NATS_STREAM/);
  });
});

describe('Back-off', () => {
  it('When failures accumulate, then the delay is drawn below base * 2^failures, capped at the maximum', () => {
    const top = () => 0.999999;
    expect(backoffDelay({ failuresBefore: 0, baseMs: 500, maxMs: 60_000 }, top)).toBe(499);
    expect(backoffDelay({ failuresBefore: 3, baseMs: 500, maxMs: 60_000 }, top)).toBe(3_999);
    expect(backoffDelay({ failuresBefore: 20, baseMs: 500, maxMs: 60_000 }, top)).toBe(59_999);
    expect(backoffDelay({ failuresBefore: 3, baseMs: 500, maxMs: 60_000 }, () => 0)).toBe(0);
  });
});

// Health: /health answers while the process serves; /ready answers 503 naming a failing or silent check.
import express, { type Express } from 'express';
import request from 'supertest';
import { healthRouter, type ReadinessCheck } from '../src';

const TIMEOUT_MS = 200;

function createApp(checks: readonly ReadinessCheck[]): Express {
  return express().use(healthRouter({ service: 't', version: '1.2.3', checks, timeoutMs: TIMEOUT_MS }));
}

const passing = (name: string): ReadinessCheck => ({ name, check: async () => undefined });

describe('health and readiness', () => {
  it('When /health is asked, then it answers 200 with the service and version', async () => {
    // Arrange
    const app = createApp([]);

    // Act
    const res = await request(app).get('/health');

    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', service: 't', version: '1.2.3' });
  });

  it('When every check passes, then /ready answers 200 listing them ok', async () => {
    // Arrange
    const app = createApp([passing('database'), passing('bus')]);

    // Act
    const res = await request(app).get('/ready');

    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ready',
      service: 't',
      checks: [
        { name: 'database', status: 'ok' },
        { name: 'bus', status: 'ok' },
      ],
    });
  });

  it('When a check rejects, then /ready answers 503 problem+json naming it but never its error text', async () => {
    // Arrange: the dependency's own message says where it lives and who connects.
    const app = createApp([
      passing('database'),
      {
        name: 'bus',
        check: () => Promise.reject(new Error('password authentication failed for user "azora_mint" at 10.0.0.7:5432')),
      },
    ]);

    // Act
    const res = await request(app).get('/ready');

    // Assert
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 503,
      code: 'service.not_ready',
      detail: 'bus: unavailable',
    });
    expect(res.body.checks).toEqual([
      expect.objectContaining({ name: 'database', status: 'ok' }),
      expect.objectContaining({ name: 'bus', status: 'failing', error: 'unavailable' }),
    ]);
    expect(res.text).not.toMatch(/azora_mint|10\.0\.0\.7|password/);
  });

  it('When a check throws before returning a promise, then /ready still answers 503 naming it', async () => {
    // Arrange
    const app = createApp([
      {
        name: 'cache',
        check: () => {
          throw new Error('not configured');
        },
      },
    ]);

    // Act
    const res = await request(app).get('/ready');

    // Assert
    expect(res.status).toBe(503);
    expect(res.body.detail).toBe('cache: unavailable');
  });

  it('When a check never resolves, then /ready answers 503 naming it once the timeout has passed', async () => {
    // Arrange
    const app = createApp([passing('database'), { name: 'bus', check: () => new Promise<void>(() => undefined) }]);

    // Act
    const res = await request(app).get('/ready');

    // Assert
    expect(res.status).toBe(503);
    expect(res.body.detail).toBe(`bus: no answer within ${TIMEOUT_MS} ms`);
    expect(res.body.checks).toEqual([
      expect.objectContaining({ name: 'database', status: 'ok' }),
      expect.objectContaining({ name: 'bus', status: 'failing' }),
    ]);
  });
});

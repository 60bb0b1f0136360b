// Request context: every request has a safe id, echoed in x-request-id and carried on its log lines.
import { Writable } from 'node:stream';
import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import request from 'supertest';
import { createLogger, createMetrics, createServiceApp } from '../src';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function createApp(logger: Logger = createLogger({ service: 't', level: 'silent' })): Express {
  return createServiceApp({
    service: 't',
    version: '0.0.0',
    logger,
    metrics: createMetrics({ service: 't', defaultMetrics: false }),
    checks: [],
    routes: (router) => {
      router.get('/whoami', (req, res) => {
        req.log.info({ step: 'inside the route' }, 'handling');
        res.json({ requestId: req.id });
      });
    },
  });
}

type LogLine = Record<string, unknown>;

/** A pino logger writing JSON lines into memory, and a way to wait for a given line. */
function memoryLogger(level = 'info') {
  const lines: LogLine[] = [];
  const waiters: Array<{ matches: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        for (const waiter of waiters.filter((w) => w.matches(line))) waiter.resolve(line);
      }
      done();
    },
  });
  const logger = pino({ level, base: { service: 't' } }, destination);
  // 'request completed' is written on the response's finish event, which may come after the client has its answer.
  const lineWith = (msg: string, requestId?: string) =>
    new Promise<LogLine>((resolve) => {
      const matches = (l: LogLine) => l['msg'] === msg && (requestId === undefined || l['requestId'] === requestId);
      const seen = lines.find(matches);
      if (seen) resolve(seen);
      else waiters.push({ matches, resolve });
    });
  return { logger, lineWith };
}

describe('request id', () => {
  it('When a safe x-request-id arrives, then it is kept and echoed', async () => {
    // Arrange
    const app = createApp();

    // Act
    const res = await request(app).get('/whoami').set('x-request-id', 'gw-1234.abc:def_9');

    // Assert
    expect(res.headers['x-request-id']).toBe('gw-1234.abc:def_9');
    expect(res.body.requestId).toBe('gw-1234.abc:def_9');
  });

  it('When no x-request-id arrives, then a uuid is generated and echoed', async () => {
    // Arrange
    const app = createApp();

    // Act
    const res = await request(app).get('/whoami');

    // Assert
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('When two requests arrive without an id, then each gets its own', async () => {
    // Arrange
    const app = createApp();

    // Act
    const first = await request(app).get('/whoami');
    const second = await request(app).get('/whoami');

    // Assert
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  it.each([
    ['contains spaces', 'id with spaces'],
    ['is 200 characters long', 'a'.repeat(200)],
    ['could forge a log line', 'abc"}{"level":60'],
  ])('When the incoming x-request-id %s, then it is replaced by a uuid', async (_why, unsafe) => {
    // Arrange
    const app = createApp();

    // Act
    const res = await request(app).get('/whoami').set('x-request-id', unsafe);

    // Assert
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('When a request completes, then its "request completed" log line carries the request id', async () => {
    // Arrange
    const { logger, lineWith } = memoryLogger();
    const app = createApp(logger);

    // Act
    const res = await request(app).get('/whoami?x=1').set('x-request-id', 'trace-42');
    const completed = await lineWith('request completed');

    // Assert
    expect(res.status).toBe(200);
    expect(completed).toMatchObject({
      requestId: 'trace-42',
      method: 'GET',
      url: '/whoami?x=1',
      status: 200,
      level: 30,
    });
    expect(completed['durationMs']).toEqual(expect.any(Number));
  });

  it('When a route logs through req.log, then its lines carry the request id too', async () => {
    // Arrange
    const { logger, lineWith } = memoryLogger();
    const app = createApp(logger);

    // Act
    const res = await request(app).get('/whoami');
    const handling = await lineWith('handling');

    // Assert
    expect(handling).toMatchObject({ requestId: res.headers['x-request-id'], step: 'inside the route', service: 't' });
  });

  it('When a probe is answered, then its "request completed" line is at debug, so info hides it', async () => {
    // Arrange
    const { logger, lineWith } = memoryLogger('debug');
    const app = createApp(logger);

    // Act
    await request(app).get('/health').set('x-request-id', 'probe-1');
    await request(app).get('/whoami').set('x-request-id', 'user-1');
    const probe = await lineWith('request completed', 'probe-1');
    const user = await lineWith('request completed', 'user-1');

    // Assert
    expect(probe).toMatchObject({ url: '/health', level: 20 });
    expect(user).toMatchObject({ url: '/whoami', level: 30 });
  });
});

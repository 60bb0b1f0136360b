// What a slow or greedy client may hold of a service: a body never sent ends in a 408
// problem+json while others are served, and one address cannot hold more connections than its cap.
import net from 'node:net';
import express from 'express';
import request from 'supertest';
import { createServiceApp } from '../src/app';
import { startServer, type RunningServer } from '../src/lifecycle';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';

const logger = createLogger({ service: 't', level: 'silent' });

function app(metrics = createMetrics({ service: 't', defaultMetrics: false })) {
  return createServiceApp({
    service: 'azora-education',
    version: '1',
    logger,
    metrics,
    checks: [],
    routes: (router) => {
      router.post('/courses', express.json(), (req, res) => res.status(201).json(req.body));
      router.get('/courses', (_req, res) => res.json({ items: [] }));
    },
  });
}

/** Opens a raw connection and sends `text`; resolves with everything the server answers. */
function rawExchange(port: number, text: string): { answer: Promise<string>; socket: net.Socket } {
  const socket = net.connect(port, '127.0.0.1');
  socket.write(text);
  const answer = new Promise<string>((resolve) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('close', () => resolve(received));
    socket.on('error', () => resolve(received));
  });
  return { answer, socket };
}

describe('server limits', () => {
  let running: RunningServer;

  afterEach(async () => {
    await running?.stop();
  });

  it('When clients declare a body and stall, then each gets a 408 problem+json and other clients are served meanwhile', async () => {
    // Arrange
    running = await startServer({ app: app(), port: 0, limits: { requestTimeoutMs: 500, headersTimeoutMs: 400 } });
    const stalled = Array.from({ length: 5 }, () =>
      rawExchange(
        running.port,
        'POST /courses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"title":',
      ),
    );

    // Act
    const meanwhile = await request(running.url).get('/courses');
    const answers = await Promise.all(stalled.map((s) => s.answer));

    // Assert
    expect(meanwhile.status).toBe(200);
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('application/problem+json');
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
        status: 408,
        code: 'request.timeout',
      });
    }
  });

  it('When a client sends its headers too slowly, then it gets a 408 problem+json', async () => {
    // Arrange
    running = await startServer({ app: app(), port: 0, limits: { requestTimeoutMs: 500, headersTimeoutMs: 300 } });

    // Act
    const { answer } = rawExchange(running.port, 'GET /courses HTTP/1.1\r\nHost: x\r\nX-Slow: ');

    // Assert
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('When one address opens more connections than its cap, then the extra ones are closed at once', async () => {
    // Arrange
    running = await startServer({ app: app(), port: 0, limits: { maxConnectionsPerClient: 2 } });
    const held = [net.connect(running.port, '127.0.0.1'), net.connect(running.port, '127.0.0.1')];
    await Promise.all(held.map((s) => new Promise((resolve) => s.once('connect', resolve))));

    // Act
    const extra = rawExchange(running.port, 'GET /courses HTTP/1.1\r\nHost: x\r\n\r\n');

    // Assert
    expect(await extra.answer).toBe('');
    held.forEach((s) => s.destroy());
  });

  it('When the request is not HTTP, then it gets a 400 problem+json', async () => {
    // Arrange
    running = await startServer({ app: app(), port: 0 });

    // Act
    const { answer } = rawExchange(running.port, 'HELLO THERE\r\n\r\n');

    // Assert
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('"code":"request.invalid"');
  });
});

describe('the metrics scrape token', () => {
  const scraped = app(createMetrics({ service: 't', defaultMetrics: false, scrapeToken: 'a-long-scrape-token-0123' }));

  it('When a token is configured and the scrape sends none or a wrong one, then /metrics answers 401 problem+json', async () => {
    // Act
    const none = await request(scraped).get('/metrics');
    const wrong = await request(scraped).get('/metrics').set('authorization', 'Bearer a-long-scrape-token-0124');

    // Assert
    for (const res of [none, wrong]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('metrics.scrape_token_required');
      expect(res.text).not.toContain('http_request_duration_seconds');
    }
  });

  it('When the scrape sends the token, then /metrics answers the metrics', async () => {
    // Act
    const res = await request(scraped).get('/metrics').set('authorization', 'Bearer a-long-scrape-token-0123');

    // Assert
    expect(res.status).toBe(200);
    expect(res.text).toContain('http_request_duration_seconds');
  });
});

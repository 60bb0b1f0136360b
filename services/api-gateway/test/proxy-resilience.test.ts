import http from 'node:http';
import request from 'supertest';
import { waitFor } from '@azora/testing';
import { startGateway, type TestGateway } from './support/gateway';
import { rawRequest, stalledPost } from './support/raw-client';
import { startFakeUpstream, upstream, type FakeUpstream } from './support/upstreams';

describe('The gateway does not fall over for one bad client', () => {
  let gateway: TestGateway;
  let education: FakeUpstream;

  beforeAll(async () => {
    education = await startFakeUpstream();
    gateway = await startGateway({
      upstreams: [upstream('education', education.url, 'azora-education')],
      settings: { proxy: { bodyTimeoutMs: 300, timeoutMs: 1_000, breakerFailureThreshold: 2 } },
    });
  });

  afterAll(async () => {
    await gateway.close();
    await education.close();
  });

  it('When clients declare a body and never send it, then each gets 408, the circuit stays closed and others are served', async () => {
    // Act
    const stalled = await Promise.all(
      Array.from({ length: 5 }, () => stalledPost(gateway.url, '/api/education/courses')),
    );

    // Assert
    for (const answer of stalled) {
      expect(answer.status).toBe(408);
      expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'request.timeout' });
    }
    expect(gateway.routes.get('education')!.breaker.state()).toBe('closed');
    const catalogue = await request(gateway.url).get('/api/education/courses');
    expect(catalogue.status).toBe(200);
    const metrics = await request(gateway.url).get('/metrics');
    expect(metrics.text).toMatch(/gateway_stalled_requests_total\{[^}]*upstream="azora-education"[^}]*\} [5-9]/);
  });

  it('When a client sends its body a byte at a time past the deadline, then 408 and the circuit stays closed', async () => {
    const body = '{"title":"one byte at a time, slowly..."}';

    const answer = await rawRequest(gateway.url, {
      method: 'POST',
      path: '/api/education/courses',
      headers: { 'content-type': 'application/json', 'content-length': body.length },
      chunks: Array.from(body),
      intervalMs: 100,
    });

    expect(answer.status).toBe(408);
    expect(gateway.routes.get('education')!.breaker.state()).toBe('closed');
  });

  it('When a body arrives in pieces within the deadline, then the service receives it whole', async () => {
    const chunks = ['{"title":', '"Intro', ' to TS"', ',"skills":["ts"]', '}'];

    const answer = await rawRequest(gateway.url, {
      method: 'POST',
      path: '/api/education/courses',
      headers: { 'content-type': 'application/json', 'content-length': chunks.join('').length },
      chunks,
      intervalMs: 20,
    });

    expect(answer.status).toBe(200);
    expect(JSON.parse(JSON.parse(answer.body).text)).toEqual({ title: 'Intro to TS', skills: ['ts'] });
  });
});

describe('A service that stops reading is not taken for a slow client', () => {
  it('When the service stops taking a large body, then 504 naming the service, not 408', async () => {
    // Arrange
    const stuck = await startFakeUpstream();
    const gateway = await startGateway({
      upstreams: [upstream('ai', stuck.url, 'ai-family-service')],
      settings: { proxy: { bodyTimeoutMs: 1_000, bodyLimitBytes: 64 * 1024 * 1024 } },
    });
    try {
      // Act: far more than the sockets between client, gateway and service can hold.
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          `${gateway.url}/api/ai/stuck`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/octet-stream', 'content-length': 48 * 1024 * 1024 },
          },
          (answer) => {
            let body = '';
            answer.on('data', (chunk: Buffer) => (body += chunk.toString()));
            answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        const chunk = Buffer.alloc(1024 * 1024, 1);
        let sent = 0;
        const pump = () => {
          while (sent < 48 && !req.destroyed) {
            sent += 1;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });

      // Assert
      expect(res.status).toBe(504);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'gateway.upstream_timeout', upstream: 'ai-family-service' });
    } finally {
      await gateway.close();
      await stuck.close();
    }
  });
});

describe('Recovery follows the service', () => {
  it('When a service goes down, then 502, then 503 circuit_open with Retry-After until its /ready answers, then served again', async () => {
    // Arrange: a service that is killed, then comes back on its port but is not ready yet.
    const first = await startFakeUpstream();
    const port = Number(new URL(first.url).port);
    const gateway = await startGateway({
      upstreams: [upstream('mint', first.url, 'azora-mint')],
      settings: { proxy: { breakerFailureThreshold: 1 } },
    });
    try {
      await first.close();
      const refused = await request(gateway.url).get('/api/mint/wallet');
      const restarted = await startFakeUpstream({ port, ready: false });
      try {
        // Act
        const whileStarting = await request(gateway.url).get('/api/mint/wallet');
        restarted.setReady(true);
        const served = await waitFor(
          async () => {
            const res = await request(gateway.url).get('/api/mint/wallet');
            expect(res.status).toBe(200);
            return res;
          },
          { timeoutMs: 3_000, what: 'the circuit to close after /ready answered' },
        );

        // Assert
        expect(refused.status).toBe(502);
        expect(refused.body).toMatchObject({ code: 'gateway.upstream_unavailable', upstream: 'azora-mint' });
        expect(whileStarting.status).toBe(503);
        expect(whileStarting.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(whileStarting.body).toMatchObject({ code: 'gateway.circuit_open', upstream: 'azora-mint' });
        expect(Number(whileStarting.headers['retry-after'])).toBeGreaterThan(0);
        expect(served.body).toEqual({ path: '/wallet' });
        expect(restarted.received.filter((r) => r.url === '/wallet')).toHaveLength(1);
        expect(gateway.routes.get('mint')!.breaker.state()).toBe('closed');
      } finally {
        await restarted.close();
      }
    } finally {
      await gateway.close();
    }
  });
});

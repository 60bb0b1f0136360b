import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import request from 'supertest';
import { createServiceTokenIssuer, generateServiceKeys } from '@azora/service-kit';
import { waitFor } from '@azora/testing';
import { register, startGateway, type TestGateway } from './support/gateway';
import { closedPortUrl, startFakeUpstream, upstream, type FakeUpstream } from './support/upstreams';

describe('Proxying /api/<prefix>/* to the services', () => {
  let gateway: TestGateway;
  let echo: FakeUpstream;
  let slow: FakeUpstream;
  let flaky: FakeUpstream;
  let token: string;

  beforeAll(async () => {
    [echo, slow, flaky] = await Promise.all([startFakeUpstream(), startFakeUpstream(), startFakeUpstream()]);
    gateway = await startGateway({
      upstreams: [
        upstream('fake', echo.url),
        upstream('pay', echo.url, 'azora-pay'),
        upstream('slow', slow.url),
        upstream('flaky', flaky.url),
        upstream('dead', await closedPortUrl(), 'azora-dead'),
      ],
      settings: {
        corsOrigins: ['https://app.example'],
        proxy: {
          bodyLimitBytes: 6 * 1024 * 1024,
          timeouts: { slow: 200, flaky: 100 },
          breakerFailureThreshold: 3,
        },
      },
    });
    token = (await register(gateway.url)).accessToken;
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([echo.close(), slow.close(), flaky.close()]);
  });

  it('When a request goes through, then the prefix is stripped and the query kept', async () => {
    const res = await request(gateway.url).get('/api/fake/courses/42?skill=ts&cursor=abc');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ path: '/courses/42?skill=ts&cursor=abc' });
  });

  it('When the bare prefix is asked, then the service receives its root path', async () => {
    const res = await request(gateway.url).get('/api/fake?page=2');

    expect(res.body).toEqual({ path: '/?page=2' });
  });

  it('When a JSON body is posted, then the service receives it intact with its content type', async () => {
    const body = { title: 'Intro', skills: ['ts'], nested: { emoji: 'ü😀' } };

    const res = await request(gateway.url).post('/api/fake/courses').set('authorization', `Bearer ${token}`).send(body);

    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.text)).toEqual(body);
    expect(res.body.contentType).toMatch(/application\/json/);
  });

  it('When a 5 MB body is posted, then every byte arrives', async () => {
    const body = randomBytes(5 * 1024 * 1024);

    const res = await request(gateway.url)
      .post('/api/fake/uploads')
      .set('content-type', 'application/octet-stream')
      .send(body);

    expect(res.status).toBe(200);
    expect(res.body.length).toBe(body.length);
    expect(res.body.sha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('When Stripe posts a webhook, then pay receives the raw body byte for byte with its signature header', async () => {
    const raw = '{"id":"evt_1",  "type":"payment_intent.succeeded",\n "data":{"object":{"amount":1999}}}';

    const res = await request(gateway.url)
      .post('/api/pay/webhooks/stripe')
      .set('content-type', 'application/json')
      .set('stripe-signature', 't=1700000000,v1=abc123')
      .send(raw);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ path: '/webhooks/stripe', text: raw, signature: 't=1700000000,v1=abc123' });
    expect(res.body.sha256).toBe(createHash('sha256').update(raw).digest('hex'));
  });

  it('When a body is larger than the limit, then 413 problem+json and the service is not called', async () => {
    const before = echo.received.length;

    const res = await request(gateway.url)
      .post('/api/fake/uploads')
      .set('content-type', 'application/octet-stream')
      .send(randomBytes(7 * 1024 * 1024));

    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(echo.received.length).toBe(before);
  });

  it('When a chunked body grows past the limit, then 413 problem+json', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        `${gateway.url}/api/fake/uploads`,
        { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } },
        (response) => {
          let body = '';
          response.on('data', (c: Buffer) => (body += c.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      const chunk = randomBytes(1024 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 8) {
          sent += 1;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });

    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'request.body_too_large' });
  });

  it('When the service streams server-sent events, then the first event arrives before the stream ends', async () => {
    const first = await new Promise<string>((resolve, reject) => {
      http
        .get(`${gateway.url}/api/fake/events`, { headers: { accept: 'text/event-stream' } }, (res) => {
          expect(res.headers['content-type']).toMatch(/text\/event-stream/);
          res.once('data', (chunk: Buffer) => resolve(chunk.toString()));
        })
        .on('error', reject);
    });

    expect(first).toContain('data: {"text":"first"}');
    echo.release();
  });

  it('When the client leaves while the service is still answering, then the call to the service is cut off too', async () => {
    // Arrange
    const client = await new Promise<http.ClientRequest>((resolve, reject) => {
      const req = http.get(`${gateway.url}/api/fake/events`, { headers: { accept: 'text/event-stream' } }, (res) =>
        res.once('data', () => resolve(req)),
      );
      req.on('error', reject);
    });

    // Act
    client.destroy();

    // Assert
    await waitFor(() => echo.cutOff.includes('/events'));
    echo.release();
  });

  it("When a request is forwarded, then it carries the forwarding headers and the service's own Host", async () => {
    // Act
    const res = await request(gateway.url).get('/api/fake/headers').set('x-forwarded-for', '203.0.113.5');

    // Assert
    const port = new URL(gateway.url).port;
    expect(res.body).toMatchObject({
      host: new URL(echo.url).host,
      'x-forwarded-for': expect.stringMatching(/^203\.0\.113\.5,(::ffff:)?127\.0\.0\.1$/),
      'x-forwarded-port': port,
      'x-forwarded-proto': 'http',
      'x-forwarded-host': `127.0.0.1:${port}`,
    });
  });

  it('When a request carries an id, then the service receives the same id; without one, the gateway makes one', async () => {
    const kept = await request(gateway.url).get('/api/fake/headers').set('x-request-id', 'req-from-client-1');
    const made = await request(gateway.url).get('/api/fake/headers');

    expect(kept.body['x-request-id']).toBe('req-from-client-1');
    expect(made.body['x-request-id']).toBe(made.headers['x-request-id']);
    expect(made.body['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('When a client sends identity headers, then they are stripped and the Authorization header still passes on', async () => {
    const res = await request(gateway.url)
      .get('/api/fake/headers')
      .set('authorization', `Bearer ${token}`)
      .set('x-user-id', 'someone-else')
      .set('x-user-role', 'admin');

    expect(res.status).toBe(200);
    expect(res.body['x-user-id']).toBeUndefined();
    expect(res.body['x-user-role']).toBeUndefined();
    expect(res.body.authorization).toBe(`Bearer ${token}`);
    expect(res.body['x-forwarded-for']).toBeDefined();
  });

  it('When an invalid access token is sent, then the gateway answers 401 without calling the service', async () => {
    const before = echo.received.length;

    const res = await request(gateway.url).get('/api/fake/wallet').set('authorization', 'Bearer not.a.token');

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.invalid_token');
    expect(echo.received.length).toBe(before);
  });

  it('When a service credential is presented at the gateway, then it is refused with 401', async () => {
    const { privateKeys } = generateServiceKeys(['azora-forge']);
    const credential = await createServiceTokenIssuer({
      service: 'azora-forge',
      privateKeyPem: privateKeys['azora-forge']!,
    }).token();
    const before = echo.received.length;

    const proxied = await request(gateway.url).get('/api/fake/wallet').set('authorization', `Bearer ${credential}`);
    const own = await request(gateway.url).get('/api/auth/me').set('authorization', `Bearer ${credential}`);

    expect(proxied.status).toBe(401);
    expect(proxied.body.code).toBe('auth.service_credential_refused');
    expect(own.status).toBe(401);
    expect(echo.received.length).toBe(before);
  });

  it('When the service does not answer in time, then 504 problem+json naming it', async () => {
    const res = await request(gateway.url).get('/api/slow/slow');

    expect(res.status).toBe(504);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'gateway.upstream_timeout', upstream: 'fake-slow' });
    expect(res.body.detail).toContain('fake-slow');
    slow.release();
  });

  it('When the service is down, then 502 problem+json naming it, at once', async () => {
    const res = await request(gateway.url).get('/api/dead/anything');

    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'gateway.upstream_unavailable', upstream: 'azora-dead' });
    expect(res.body.detail).toMatch(/azora-dead.*ECONNREFUSED/);
  });

  it('When a service keeps failing, then its circuit opens and later requests fail fast with 503 without reaching it', async () => {
    flaky.setReady(false);
    for (let i = 0; i < 3; i++) expect((await request(gateway.url).get('/api/flaky/slow')).status).toBe(504);
    flaky.release();
    const reached = flaky.received.filter((r) => r.url !== '/ready').length;

    const res = await request(gateway.url).get('/api/flaky/slow');

    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'gateway.circuit_open', upstream: 'fake-flaky', circuit: 'open' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(flaky.received.filter((r) => r.url !== '/ready').length).toBe(reached);
    const metrics = await request(gateway.url).get('/metrics');
    expect(metrics.text).toMatch(/gateway_breaker_state\{[^}]*upstream="fake-flaky"[^}]*\} 2/);
  });

  it('When requests have been proxied, then gateway_proxy_requests_total counts them by upstream and status', async () => {
    await request(gateway.url).get('/api/fake/counted');

    await waitFor(
      async () => {
        const res = await request(gateway.url).get('/metrics');
        expect(res.text).toMatch(
          /gateway_proxy_requests_total\{[^}]*upstream="fake-fake"[^}]*status_code="200"[^}]*\} [1-9]/,
        );
        expect(res.text).toMatch(/gateway_upstream_latency_seconds_count\{[^}]*upstream="fake-fake"[^}]*\} [1-9]/);
      },
      { what: 'the proxy metrics' },
    );
  });

  it('When /api/health is asked, then it shows each upstream’s readiness and circuit', async () => {
    const res = await request(gateway.url).get('/api/health');

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    const byName = Object.fromEntries(res.body.upstreams.map((u: { name: string }) => [u.name, u]));
    expect(byName['fake-fake']).toMatchObject({ prefix: 'fake', status: 'ready', breaker: 'closed' });
    expect(byName['azora-dead']).toMatchObject({ status: 'down', error: 'ECONNREFUSED' });
    expect(byName['fake-flaky']).toMatchObject({ breaker: 'open' });
  });

  it('When a browser from an allowed origin asks, then CORS allows it, and security headers are set', async () => {
    const preflight = await request(gateway.url)
      .options('/api/fake/courses')
      .set('origin', 'https://app.example')
      .set('access-control-request-method', 'POST');
    const other = await request(gateway.url).get('/api/fake/courses').set('origin', 'https://evil.example');

    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['x-content-type-options']).toBe('nosniff');
    expect(other.headers['x-frame-options']).toBeDefined();
  });

  it('When an unknown /api prefix is asked, then 404 problem+json', async () => {
    const res = await request(gateway.url).get('/api/nothing-here/x');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

import request from 'supertest';
import { startGateway, type TestGateway } from './support/gateway';
import { rawRequest } from './support/raw-client';
import { startFakeUpstream, upstream, type FakeUpstream } from './support/upstreams';

describe("A service's internals stay internal", () => {
  let gateway: TestGateway;
  let mint: FakeUpstream;

  beforeAll(async () => {
    mint = await startFakeUpstream();
    gateway = await startGateway({
      upstreams: [upstream('mint', mint.url, 'azora-mint')],
      settings: { proxy: { healthCacheMs: 60_000 } },
    });
  });

  afterAll(async () => {
    await gateway.close();
    await mint.close();
  });

  it.each([
    ['GET', '/api/mint/metrics'],
    ['POST', '/api/mint/_nexus/deliveries'],
    ['GET', '/api/mint/health'],
    ['GET', '/api/mint/ready'],
    ['GET', '/api/mint/METRICS'],
    ['GET', '/api/mint/metrics/'],
    ['GET', '/api/mint//metrics'],
    ['GET', '/api/mint/./metrics'],
    ['GET', '/api/mint/wallet/../metrics'],
    ['GET', '/api/mint/%6Detrics?x=1'],
    ['POST', '/api/mint/_NEXUS/deliveries'],
  ])(
    'When %s %s is asked through the gateway, then 404 problem+json and the service never sees it',
    async (method, path) => {
      const before = mint.received.length;

      const body = method === 'POST' ? '{}' : '';

      const answer = await rawRequest(gateway.url, {
        method,
        path,
        headers: { 'content-type': 'application/json', 'content-length': body.length, connection: 'close' },
        chunks: [body],
      });

      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'route.not_found' });
      expect(mint.received.length).toBe(before);
    },
  );

  it("When a public route's path merely contains those words, then it is proxied", async () => {
    const res = await request(gateway.url).get('/api/mint/wallet/metrics-history');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ path: '/wallet/metrics-history' });
  });

  it('When /api/health is asked again and again, then the services are probed once per cache period', async () => {
    const probesBefore = mint.received.filter((r) => r.url === '/ready').length;

    const answers = await Promise.all(Array.from({ length: 5 }, () => request(gateway.url).get('/api/health')));
    const later = await request(gateway.url).get('/api/health');

    for (const res of [...answers, later]) {
      expect(res.status).toBe(200);
      expect(res.body.upstreams).toEqual([expect.objectContaining({ name: 'azora-mint', status: 'ready' })]);
    }
    expect(mint.received.filter((r) => r.url === '/ready').length - probesBefore).toBe(1);
  });

  describe('routes a service declares for other services only', () => {
    let escrowService: FakeUpstream;
    let escrowGateway: TestGateway;
    const serviceOnly = { security: [{ serviceCredential: [] }] };

    beforeAll(async () => {
      escrowService = await startFakeUpstream({
        document: {
          openapi: '3.1.0',
          info: { title: 'Mint', version: '1' },
          paths: {
            '/wallet': { get: { security: [{ bearer: [] }] } },
            '/escrow/holds': { post: serviceOnly },
            '/escrow/holds/{reference}': { get: serviceOnly },
          },
        },
      });
      escrowGateway = await startGateway({ upstreams: [upstream('mint', escrowService.url, 'azora-mint')] });
      await escrowGateway.serviceOnly.refresh();
    });

    afterAll(async () => {
      await escrowGateway.close();
      await escrowService.close();
    });

    it.each([
      ['POST', '/api/mint/escrow/holds'],
      ['GET', '/api/mint/escrow/holds/job-42'],
      ['GET', '/api/mint/ESCROW/holds/job-42'],
      ['GET', '/api/mint/escrow/holds/job-42/'],
      ['HEAD', '/api/mint/escrow/holds/job-42'],
    ])('When %s %s is asked through the gateway, then 404 and the service never sees it', async (method, path) => {
      // Arrange
      const before = escrowService.received.length;

      // Act
      const answer = await rawRequest(escrowGateway.url, {
        method,
        path,
        headers: { 'content-type': 'application/json', 'content-length': 2, connection: 'close' },
        chunks: ['{}'],
      });

      // Assert
      expect(answer.status).toBe(404);
      expect(escrowService.received.length).toBe(before);
    });

    it("When one of the service's public routes is asked, then it is proxied", async () => {
      // Act
      const res = await request(escrowGateway.url).get('/api/mint/wallet');

      // Assert
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ path: '/wallet' });
    });
  });
});

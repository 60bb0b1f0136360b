import request from 'supertest';
import { z } from 'zod';
import {
  createLogger,
  createMetrics,
  createServiceApp,
  createServiceTokenIssuer,
  createServiceTokenVerifier,
  createUserTokenVerifier,
  currentUser,
  generateServiceKeys,
  startServer,
  type RunningServer,
} from '@azora/service-kit';
import { freePort } from '@azora/testing';
import { register, startGateway, type TestGateway } from './support/gateway';
import { upstream } from './support/upstreams';

const WhoAmI = z.object({ userId: z.string(), role: z.string(), headerUserId: z.string().nullable() });

/** A service built like every Azora service, verifying user tokens against the gateway's JWKS URL. */
async function startKitService(port: number, gatewayUrl: string) {
  const { privateKeys, jwks } = generateServiceKeys(['azora-forge']);
  const app = createServiceApp({
    service: 'fake-mint',
    version: '0.0.0',
    logger: createLogger({ service: 'fake-mint', level: 'silent' }),
    metrics: createMetrics({ service: 'fake-mint', defaultMetrics: false }),
    checks: [],
    users: createUserTokenVerifier({ jwksUrl: `${gatewayUrl}/.well-known/jwks.json` }),
    serviceTokens: createServiceTokenVerifier({ jwks }),
    routes: (_router, api) => {
      api.endpoint(
        { method: 'get', path: '/wallet', summary: 'Who is calling', access: 'user', responses: { 200: WhoAmI } },
        (_input, req, res) => {
          const user = currentUser(req);
          res.json({ userId: user.id, role: user.role, headerUserId: req.get('x-user-id') ?? null });
        },
      );
      api.endpoint(
        {
          method: 'post',
          path: '/internal/credits',
          summary: 'Services only',
          access: { services: ['azora-forge'] },
          responses: { 200: z.object({ caller: z.string() }) },
        },
        (_input, req, res) => {
          res.json({ caller: req.caller?.service ?? '' });
        },
      );
    },
  });
  const server = await startServer({ app, port });
  const credential = () =>
    createServiceTokenIssuer({ service: 'azora-forge', privateKeyPem: privateKeys['azora-forge']! }).token();
  return { server, credential };
}

describe('Zero trust: every service verifies the caller itself', () => {
  let gateway: TestGateway;
  let service: RunningServer;
  let serviceCredential: () => Promise<string>;

  beforeAll(async () => {
    const port = await freePort();
    gateway = await startGateway({ upstreams: [upstream('mint', `http://127.0.0.1:${port}`, 'azora-mint')] });
    const kit = await startKitService(port, gateway.url);
    service = kit.server;
    serviceCredential = kit.credential;
  });

  afterAll(async () => {
    await service.stop();
    await gateway.close();
  });

  it('When a request reaches the service directly without a token, then 401, while health and metrics stay open', async () => {
    const res = await request(service.url).get('/wallet');

    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await request(service.url).get('/health')).status).toBe(200);
    expect((await request(service.url).get('/ready')).status).toBe(200);
    expect((await request(service.url).get('/metrics')).status).toBe(200);
  });

  it('When a request reaches the service directly with only a forged x-user-id, then 401', async () => {
    const { user } = await register(gateway.url);

    const res = await request(service.url).get('/wallet').set('x-user-id', user.id).set('x-user-role', 'admin');

    expect(res.status).toBe(401);
  });

  it('When the service gets a gateway-signed token directly, then it verifies it against the JWKS fetched over HTTP', async () => {
    const { user, accessToken } = await register(gateway.url);

    const res = await request(service.url).get('/wallet').set('authorization', `Bearer ${accessToken}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: user.id, role: 'student' });
  });

  it('When a client forges x-user-id through the gateway, then the service sees the token’s user and no such header', async () => {
    const { user, accessToken } = await register(gateway.url);
    const other = await register(gateway.url);

    const res = await request(gateway.url)
      .get('/api/mint/wallet')
      .set('authorization', `Bearer ${accessToken}`)
      .set('x-user-id', other.user.id);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: user.id, role: 'student', headerUserId: null });
  });

  it('When a request comes through the gateway without a token, then the service itself answers 401', async () => {
    const res = await request(gateway.url)
      .get('/api/mint/wallet')
      .set('x-user-id', '00000000-0000-4000-8000-000000000000');

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.required');
  });

  it('When a user token is sent where a service credential is required, then 401', async () => {
    const { accessToken } = await register(gateway.url);

    const asUser = await request(service.url).post('/internal/credits').set('authorization', `Bearer ${accessToken}`);
    const asService = await request(service.url)
      .post('/internal/credits')
      .set('authorization', `Bearer ${await serviceCredential()}`);

    expect(asUser.status).toBe(401);
    expect(asUser.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(asService.status).toBe(200);
    expect(asService.body).toEqual({ caller: 'azora-forge' });
  });

  it('When a service credential is sent through the gateway to a service route, then the gateway refuses it', async () => {
    const res = await request(gateway.url)
      .post('/api/mint/internal/credits')
      .set('authorization', `Bearer ${await serviceCredential()}`);

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.service_credential_refused');
  });
});

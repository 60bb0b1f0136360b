import request from 'supertest';
import { register, startGateway, type TestGateway } from './support/gateway';
import { startFakeUpstream, upstream, type FakeUpstream } from './support/upstreams';

describe('Proxied writes are limited per caller', () => {
  let gateway: TestGateway;
  let forge: FakeUpstream;

  beforeAll(async () => {
    forge = await startFakeUpstream();
    gateway = await startGateway({
      upstreams: [upstream('forge', forge.url, 'azora-forge')],
      settings: { proxy: { writeRateLimit: { points: 3, windowSeconds: 60 } } },
    });
  });

  afterAll(async () => {
    await gateway.close();
    await forge.close();
  });

  const post = (token: string) =>
    request(gateway.url).post('/api/forge/jobs').set('authorization', `Bearer ${token}`).send({ title: 'A job' });

  it('When a user sends more writes than the limit, then 429 with Retry-After, and the service does not see the extra one', async () => {
    // Arrange
    const { accessToken } = await register(gateway.url);
    for (let i = 0; i < 3; i++) expect((await post(accessToken)).status).toBe(200);
    const reached = forge.received.length;

    // Act
    const res = await post(accessToken);

    // Assert
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'request.rate_limited' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(forge.received.length).toBe(reached);
    const metrics = await request(gateway.url).get('/metrics');
    expect(metrics.text).toMatch(/gateway_rate_limited_writes_total\{[^}]*upstream="azora-forge"[^}]*\} [1-9]/);
  });

  it("When one user is over the limit, then another user's writes and the same user's reads still pass", async () => {
    const limited = await register(gateway.url);
    const other = await register(gateway.url);
    for (let i = 0; i < 4; i++) await post(limited.accessToken);

    const otherWrite = await post(other.accessToken);
    const ownRead = await request(gateway.url)
      .get('/api/forge/jobs')
      .set('authorization', `Bearer ${limited.accessToken}`);

    expect(otherWrite.status).toBe(200);
    expect(ownRead.status).toBe(200);
  });

  it('When anonymous writes exceed the limit, then they are counted by client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await request(gateway.url).post('/api/forge/anonymous').send({})).status);

    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

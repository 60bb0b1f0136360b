import request from 'supertest';
import { register, startGateway, type TestGateway } from './support/gateway';

const login = (gateway: TestGateway, ip: string, body: { email: string; password: string }) =>
  request(gateway.url).post('/api/auth/login').set('x-forwarded-for', ip).send(body);

/** Moves every running login delay of the gateway's database into the past: time has passed. */
async function letDelaysPass(gateway: TestGateway): Promise<void> {
  await gateway.pool.query(`UPDATE auth_attempts SET expire = 0 WHERE key LIKE 'login_delay:%'`);
}

describe('Rate limits per client address', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ settings: { rateLimit: { windowSeconds: 600, perIp: 4, perAccount: 2 } } });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('When one address keeps trying to log in, then the attempt over the limit gets 429 problem+json with Retry-After', async () => {
    const from = (n: number) =>
      login(gateway, '203.0.113.7', { email: `probe${n}@example.com`, password: 'whatever-123' });

    const statuses = [];
    for (let n = 0; n < 4; n++) statuses.push((await from(n)).status);
    const limited = await from(4);

    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(600);
    expect(limited.body).toMatchObject({ status: 429, code: 'auth.rate_limited' });
  });

  it('When one address keeps registering, then registration over the limit gets 429', async () => {
    const attempt = (n: number) =>
      request(gateway.url)
        .post('/api/auth/register')
        .set('x-forwarded-for', '203.0.113.99')
        .send({ email: `bulk${n}-${Date.now()}@example.com`, password: 'short', name: 'Bulk', role: 'student' });

    for (let n = 0; n < 4; n++) await attempt(n);
    const limited = await attempt(4);

    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('auth.rate_limited');
  });

  it('When successful logins repeat, then the account limit is not consumed', async () => {
    const { account } = await register(gateway.url);

    const statuses = [
      (await login(gateway, '192.0.2.10', account)).status,
      (await login(gateway, '192.0.2.11', account)).status,
      (await login(gateway, '192.0.2.12', account)).status,
    ];

    expect(statuses).toEqual([200, 200, 200]);
  });

  it('When limits refuse requests, then auth_rate_limited_total counts them by route', async () => {
    await login(gateway, '203.0.113.8', { email: 'metrics@example.com', password: 'whatever-123' });
    for (let n = 0; n < 5; n++) await login(gateway, '203.0.113.8', { email: 'metrics@example.com', password: 'x' });

    const res = await request(gateway.url).get('/metrics');

    expect(res.text).toMatch(/auth_rate_limited_total\{[^}]*route="login"[^}]*\} [1-9]/);
    expect(res.text).toMatch(/auth_logins_total\{[^}]*outcome="success"[^}]*\} [1-9]/);
  });
});

describe('Growing delays for an account under attack', () => {
  let gateway: TestGateway;
  const MAX_DELAY = 120;

  beforeAll(async () => {
    gateway = await startGateway({
      settings: { rateLimit: { windowSeconds: 600, perIp: 1000, perAccount: 3, maxDelaySeconds: MAX_DELAY } },
    });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('When many wrong-password logins for one account arrive at once, then no more than the limit reach the password check', async () => {
    const { account } = await register(gateway.url);

    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, n) => login(gateway, `198.18.0.${n + 1}`, { ...account, password: `guess-${n}` })),
    );

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(27);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(refused.body.code).toBe('auth.rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('When an account collects failed logins from many addresses, then its next attempt waits, even with the right password', async () => {
    const { account } = await register(gateway.url);

    for (let n = 1; n <= 3; n++) await login(gateway, `198.51.100.${n}`, { ...account, password: `wrong-${n}` });
    const delayed = await login(gateway, '198.51.100.9', account);

    expect(delayed.status).toBe(429);
    expect(delayed.body.code).toBe('auth.rate_limited');
    expect(Number(delayed.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('When each delay passes and the guess is wrong again, then the next delay is twice as long, up to the maximum', async () => {
    const { account } = await register(gateway.url);
    for (let n = 1; n <= 3; n++) await login(gateway, '198.51.100.20', { ...account, password: `wrong-${n}` });

    const retryAfters: number[] = [];
    for (let n = 0; n < 10; n++) {
      await letDelaysPass(gateway);
      expect((await login(gateway, '198.51.100.20', { ...account, password: `wrong-again-${n}` })).status).toBe(401);
      retryAfters.push(Number((await login(gateway, '198.51.100.20', account)).headers['retry-after']));
    }

    expect(retryAfters).toEqual([2, 4, 8, 16, 32, 64, 120, 120, 120, 120]);
  });

  it('When a stranger has guessed wrong, then the owner with the right password gets in once the delay (at most the maximum) has passed, and the count starts over', async () => {
    const { account } = await register(gateway.url);
    for (let n = 1; n <= 12; n++) {
      await letDelaysPass(gateway);
      await login(gateway, '203.0.113.66', { ...account, password: `stranger-${n}` });
    }

    const delayed = await login(gateway, '192.0.2.77', account);
    await letDelaysPass(gateway);
    const owner = await login(gateway, '192.0.2.77', account);
    const nextTypo = await login(gateway, '192.0.2.77', { ...account, password: 'typo-password-1' });

    expect(delayed.status).toBe(429);
    expect(Number(delayed.headers['retry-after'])).toBeLessThanOrEqual(MAX_DELAY);
    expect(owner.status).toBe(200);
    expect(nextTypo.status).toBe(401);
  });
});

describe('Limits shared by every gateway instance', () => {
  let first: TestGateway;
  let second: TestGateway;

  beforeAll(async () => {
    const settings = { rateLimit: { windowSeconds: 600, perIp: 3, perAccount: 2 } };
    first = await startGateway({ settings });
    second = await startGateway({ settings, sharing: first });
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('When failed logins for one account go to two instances, then both count them', async () => {
    const { account } = await register(first.url);

    await login(first, '198.51.100.31', { ...account, password: 'wrong-one-1' });
    await login(second, '198.51.100.32', { ...account, password: 'wrong-two-2' });
    const third = await login(first, '198.51.100.33', { ...account, password: 'wrong-three-3' });

    expect(third.status).toBe(429);
  });

  it('When one address spreads its attempts over two instances, then its limit is shared', async () => {
    const statuses = [];
    for (const [n, gateway] of [first, second, first, second].entries())
      statuses.push((await login(gateway, '203.0.113.45', { email: `spread${n}@example.com`, password: 'x1' })).status);

    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('Which proxies are trusted for X-Forwarded-For', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ settings: { trustProxy: [], rateLimit: { perIp: 2 } } });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('When no proxy is trusted, then X-Forwarded-For cannot give one client fresh addresses', async () => {
    const statuses = [];
    for (let n = 1; n <= 3; n++)
      statuses.push((await login(gateway, `203.0.113.${n}`, { email: `xff${n}@example.com`, password: 'x1' })).status);

    expect(statuses).toEqual([401, 401, 429]);
  });
});

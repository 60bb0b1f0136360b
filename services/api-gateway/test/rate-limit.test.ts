import request from 'supertest';
import { createRateLimiter } from '../src/domain/rate-limiter';
import { register, startGateway, type TestGateway } from './support/gateway';

describe('Rate limits on login and registration', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ settings: { rateLimit: { windowSeconds: 600, perIp: 4, perAccount: 2 } } });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('When one address keeps trying to log in, then the attempt over the limit gets 429 problem+json with Retry-After', async () => {
    const from = (n: number) =>
      request(gateway.url)
        .post('/api/auth/login')
        .set('x-forwarded-for', '203.0.113.7')
        .send({ email: `probe${n}@example.com`, password: 'whatever-123' });

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

  it('When an account collects failed logins from many addresses, then its next login is refused with 429 before the password is checked', async () => {
    const { account } = await register(gateway.url);
    const attempt = (ip: string, password: string) =>
      request(gateway.url).post('/api/auth/login').set('x-forwarded-for', ip).send({ email: account.email, password });

    await attempt('198.51.100.1', 'wrong-password-1');
    await attempt('198.51.100.2', 'wrong-password-2');
    const limited = await attempt('198.51.100.3', account.password);

    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('When successful logins repeat, then the account limit is not consumed', async () => {
    const { account } = await register(gateway.url);
    const login = (ip: string) =>
      request(gateway.url)
        .post('/api/auth/login')
        .set('x-forwarded-for', ip)
        .send({ email: account.email, password: account.password });

    const statuses = [
      (await login('192.0.2.10')).status,
      (await login('192.0.2.11')).status,
      (await login('192.0.2.12')).status,
    ];

    expect(statuses).toEqual([200, 200, 200]);
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

  it('When limits refuse requests, then auth_rate_limited_total counts them by route', async () => {
    const res = await request(gateway.url).get('/metrics');

    expect(res.text).toMatch(/auth_rate_limited_total\{[^}]*route="login"[^}]*\} [1-9]/);
    expect(res.text).toMatch(/auth_rate_limited_total\{[^}]*route="register"[^}]*\} [1-9]/);
    expect(res.text).toMatch(/auth_logins_total\{[^}]*outcome="success"[^}]*\} [1-9]/);
  });
});

describe('The rate limiter', () => {
  it('When the window has passed, then attempts are allowed again', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000, maxKeys: 10 });

    limiter.take('a', 0);
    limiter.take('a', 10);
    const refused = limiter.take('a', 20);
    const later = limiter.take('a', 1000);

    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(later.allowed).toBe(true);
  });

  it('When more keys arrive than it may remember, then it forgets the oldest and stays bounded', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 100 });

    for (let i = 0; i < 10_000; i++) limiter.take(`ip-${i}`, i);

    expect(limiter.size).toBeLessThanOrEqual(100);
    expect(limiter.take('ip-9999', 10_001).allowed).toBe(false);
  });
});

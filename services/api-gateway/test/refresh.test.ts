import request from 'supertest';
import { fixedClock } from '@azora/service-kit';
import { register, startGateway, type TestGateway } from './support/gateway';

describe('Refresh-token rotation, reuse detection and logout', () => {
  const clock = fixedClock('2030-01-01T00:00:00Z');
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ clock, settings: { refreshTokenTtlSeconds: 3600 } });
  });

  afterAll(async () => {
    await gateway.close();
  });

  const refresh = (refreshToken: string) => request(gateway.url).post('/api/auth/refresh').send({ refreshToken });

  it('When a refresh token is used, then new tokens come back and the old one, stored only as its SHA-256, is marked used', async () => {
    const session = await register(gateway.url);

    const res = await refresh(session.refreshToken);

    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(session.user.id);
    expect(res.body.refreshToken).not.toBe(session.refreshToken);
    const me = await request(gateway.url).get('/api/auth/me').set('authorization', `Bearer ${res.body.accessToken}`);
    expect(me.status).toBe(200);
    const { rows } = await gateway.pool.query<{ used: boolean }>(
      `SELECT used_at IS NOT NULL AS used FROM refresh_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))`,
      [session.refreshToken],
    );
    expect(rows).toEqual([{ used: true }]);
  });

  it('When an already-used refresh token is presented again, then 401 and every token of its family is revoked', async () => {
    const session = await register(gateway.url);
    const rotated = await refresh(session.refreshToken);

    const reuse = await refresh(session.refreshToken);
    const successor = await refresh(rotated.body.refreshToken);

    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('auth.refresh_token_reused');
    expect(successor.status).toBe(401);
    expect(successor.body.code).toBe('auth.invalid_refresh_token');
  });

  it('When a family is revoked for reuse, then the same user’s other sign-ins keep working', async () => {
    const first = await register(gateway.url);
    const second = await request(gateway.url)
      .post('/api/auth/login')
      .send({ email: first.account.email, password: first.account.password });
    await refresh(first.refreshToken);

    await refresh(first.refreshToken);
    const other = await refresh(second.body.refreshToken);

    expect(other.status).toBe(200);
  });

  it('When two refreshes race with one token, then exactly one rotates', async () => {
    const session = await register(gateway.url);

    const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('When a refresh token has expired, then 401 auth.refresh_token_expired', async () => {
    const session = await register(gateway.url);
    clock.advance(3601 * 1000);

    const res = await refresh(session.refreshToken);

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.refresh_token_expired');
  });

  it('When an unknown refresh token is presented, then 401 auth.invalid_refresh_token', async () => {
    const res = await refresh('x'.repeat(43));

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.invalid_refresh_token');
  });

  it('When a user logs out with a refresh token, then that token no longer refreshes', async () => {
    const session = await register(gateway.url);

    const logout = await request(gateway.url).post('/api/auth/logout').send({ refreshToken: session.refreshToken });
    const res = await refresh(session.refreshToken);

    expect(logout.status).toBe(204);
    expect(res.status).toBe(401);
  });

  it('When a user logs out with only an access token, then every one of their sign-ins ends', async () => {
    const first = await register(gateway.url);
    const second = await request(gateway.url)
      .post('/api/auth/login')
      .send({ email: first.account.email, password: first.account.password });

    const logout = await request(gateway.url)
      .post('/api/auth/logout')
      .set('authorization', `Bearer ${first.accessToken}`);

    expect(logout.status).toBe(204);
    expect((await refresh(first.refreshToken)).status).toBe(401);
    expect((await refresh(second.body.refreshToken)).status).toBe(401);
  });

  it('When logout carries neither token, then 401 problem+json', async () => {
    const res = await request(gateway.url).post('/api/auth/logout').send({});

    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('When the refresh body is malformed, then 400 names the field', async () => {
    const res = await request(gateway.url).post('/api/auth/refresh').send({ refreshToken: 'short' });

    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('body.refreshToken');
  });
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createUserTokenIssuer, generateUserSigningKey } from '@azora/service-kit';
import { openPrivateKey } from '../src/keys/key-encryption';
import { newAccount, register, startGateway, type TestGateway } from './support/gateway';

describe('Registration and login', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('When a student registers, then 201 returns the user and both tokens, and never the password', async () => {
    const account = newAccount({ email: 'Ada.Lovelace@Example.COM' });

    const res = await request(gateway.url).post('/api/auth/register').send(account);

    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      user: { email: 'ada.lovelace@example.com', name: account.name, role: 'student' },
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    expect(typeof res.body.accessToken).toBe('string');
    expect(typeof res.body.refreshToken).toBe('string');
    expect(JSON.stringify(res.body)).not.toContain(account.password);
    expect(res.body.user).not.toHaveProperty('passwordHash');
  });

  it('When a user registers, then the password is stored as a scrypt hash and identity.user.registered is in the outbox', async () => {
    const { user, account } = await register(gateway.url, { role: 'instructor' });

    const stored = await gateway.pool.query<{ password_hash: string }>(
      `SELECT password_hash FROM users WHERE id = $1`,
      [user.id],
    );
    const events = await gateway.pool.query<{ type: string; subject: string; data: Record<string, unknown> }>(
      `SELECT type, subject, data FROM outbox WHERE subject = $1`,
      [user.id],
    );

    expect(stored.rows[0]?.password_hash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(stored.rows[0]?.password_hash).not.toContain(account.password);
    expect(events.rows).toEqual([
      {
        type: 'identity.user.registered',
        subject: user.id,
        data: { userId: user.id, email: account.email, name: account.name, role: 'instructor' },
      },
    ]);
  });

  it('When an email is registered again in another letter case, then 409 problem+json and no second user', async () => {
    const { account } = await register(gateway.url);

    const res = await request(gateway.url)
      .post('/api/auth/register')
      .send(newAccount({ email: account.email.toUpperCase() }));

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, code: 'auth.email_taken' });
    const { rows } = await gateway.pool.query(`SELECT id FROM users WHERE lower(email) = $1`, [account.email]);
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['a weak password', { password: 'short1' }, 'body.password'],
    ['a password without a digit', { password: 'onlyletters-here' }, 'body.password'],
    ['a malformed email', { email: 'not-an-email' }, 'body.email'],
    ['the admin role', { role: 'admin' }, 'body.role'],
  ])('When registering with %s, then 400 problem+json names the field', async (_what, overrides, field) => {
    const res = await request(gateway.url).post('/api/auth/register').send(newAccount(overrides));

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  it('When the right password is given, then login returns tokens that /api/auth/me accepts', async () => {
    const { account, user } = await register(gateway.url);

    const login = await request(gateway.url)
      .post('/api/auth/login')
      .send({ email: account.email.toUpperCase(), password: account.password });
    const me = await request(gateway.url).get('/api/auth/me').set('authorization', `Bearer ${login.body.accessToken}`);

    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ id: user.id, role: 'student' });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, email: account.email, name: account.name, role: 'student' });
  });

  it('When the password is wrong or the email unknown, then both get the same 401 problem', async () => {
    const { account } = await register(gateway.url);

    const wrong = await request(gateway.url)
      .post('/api/auth/login')
      .send({ email: account.email, password: 'wrong-password-1' });
    const unknown = await request(gateway.url)
      .post('/api/auth/login')
      .send({ email: `nobody-${randomUUID()}@example.com`, password: account.password });

    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.body.code).toBe('auth.invalid_credentials');
    expect(unknown.body.code).toBe('auth.invalid_credentials');
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('When /api/auth/me is asked without a token, then 401 problem+json', async () => {
    const res = await request(gateway.url).get('/api/auth/me');

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.required');
  });

  it('When the access token has expired, then 401 auth.token_expired', async () => {
    const { user } = await register(gateway.url);
    const { rows } = await gateway.pool.query<{ kid: string; private_key_sealed: string }>(
      `SELECT kid, private_key_sealed FROM signing_keys ORDER BY created_at DESC LIMIT 1`,
    );
    const key = rows[0]!;
    const privateKeyPem = openPrivateKey(key.private_key_sealed, key.kid, [gateway.keyEncryptionKey]);
    const { token } = await createUserTokenIssuer({ kid: key.kid, privateKeyPem }).issue(
      { id: user.id, role: 'student' },
      -60,
    );

    const res = await request(gateway.url).get('/api/auth/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.token_expired');
  });

  it('When the access token was tampered with, then 401 auth.invalid_token', async () => {
    const { accessToken, user } = await register(gateway.url);
    const [header, , signature] = accessToken.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        sub: user.id,
        role: 'admin',
        iss: 'azora-gateway',
        aud: 'azora-api',
        exp: Math.floor(Date.now() / 1000) + 600,
      }),
    ).toString('base64url');

    const res = await request(gateway.url)
      .get('/api/auth/me')
      .set('authorization', `Bearer ${header}.${forgedPayload}.${signature}`);

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.invalid_token');
  });

  it('When the access token is signed by a key the gateway never published, then 401', async () => {
    const { user } = await register(gateway.url);
    const { token } = await createUserTokenIssuer(generateUserSigningKey()).issue({ id: user.id, role: 'admin' });

    const res = await request(gateway.url).get('/api/auth/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.invalid_token');
  });
});

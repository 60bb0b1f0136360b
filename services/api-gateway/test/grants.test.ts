// Grants: an admin gives a user a permission beyond their role (PUT /api/auth/users/:id/grants),
// and the user's access tokens carry it from their next issue, where every service reads it.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createUserTokenVerifier } from '@azora/service-kit';
import { register, startGateway, type TestGateway } from './support/gateway';

const ADMIN = { email: 'grants-admin@azora.test', password: 'admin-password-1', name: 'Root' };

/** The claims of a JWT, read without verifying it. */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('Grants given by an admin', () => {
  let gateway: TestGateway;
  let adminToken: string;

  beforeAll(async () => {
    gateway = await startGateway();
    await gateway.identity.ensureAdmin(ADMIN);
    const login = await request(gateway.url).post('/api/auth/login').send(ADMIN);
    adminToken = login.body.accessToken as string;
  });

  afterAll(async () => {
    await gateway.close();
  });

  const setGrants = (userId: string, body: unknown, token: string | undefined = adminToken) => {
    const req = request(gateway.url).put(`/api/auth/users/${userId}/grants`);
    return (token ? req.set('authorization', `Bearer ${token}`) : req).send(body as object);
  };
  const refresh = (refreshToken: string) => request(gateway.url).post('/api/auth/refresh').send({ refreshToken });

  it('When an admin grants analytics:read, then 200 with the user, and the next refreshed token carries it', async () => {
    const student = await register(gateway.url);

    const res = await setGrants(student.user.id, { grants: ['analytics:read'] });
    const refreshed = await refresh(student.refreshToken);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: student.user.id, role: 'student', grants: ['analytics:read'] });
    expect(claimsOf(student.accessToken)).not.toHaveProperty('grants');
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user.grants).toEqual(['analytics:read']);
    expect(claimsOf(refreshed.body.accessToken)['grants']).toEqual(['analytics:read']);
    const verifier = createUserTokenVerifier({ jwksUrl: `${gateway.url}/.well-known/jwks.json` });
    await expect(verifier.verify(refreshed.body.accessToken)).resolves.toEqual({
      id: student.user.id,
      role: 'student',
      grants: ['analytics:read'],
    });
  });

  it('When a granted user logs in or asks who they are, then the grant is in the token and in /me', async () => {
    const student = await register(gateway.url);
    await setGrants(student.user.id, { grants: ['analytics:read', 'analytics:read'] });

    const login = await request(gateway.url)
      .post('/api/auth/login')
      .send({ email: student.account.email, password: student.account.password });
    const me = await request(gateway.url).get('/api/auth/me').set('authorization', `Bearer ${login.body.accessToken}`);

    expect(claimsOf(login.body.accessToken)['grants']).toEqual(['analytics:read']);
    expect(me.body.grants).toEqual(['analytics:read']);
  });

  it('When an admin sets an empty list, then the grant is revoked and the next refreshed token carries none', async () => {
    const student = await register(gateway.url);
    await setGrants(student.user.id, { grants: ['analytics:read'] });
    const granted = await refresh(student.refreshToken);

    const res = await setGrants(student.user.id, { grants: [] });
    const revoked = await refresh(granted.body.refreshToken);

    expect(res.status).toBe(200);
    expect(res.body.grants).toEqual([]);
    expect(revoked.body.user.grants).toEqual([]);
    expect(claimsOf(revoked.body.accessToken)).not.toHaveProperty('grants');
  });

  it('When a user registers, then they have no grants', async () => {
    const student = await register(gateway.url);

    expect((student.user as { grants?: unknown }).grants).toEqual([]);
    expect(claimsOf(student.accessToken)).not.toHaveProperty('grants');
  });

  it('When someone who is not an admin sets grants, even their own, then 403 and nothing changes', async () => {
    const instructor = await register(gateway.url, { role: 'instructor' });

    const res = await setGrants(instructor.user.id, { grants: ['analytics:read'] }, instructor.accessToken);

    expect(res.status).toBe(403);
    expect(res.body.code).toBe('auth.forbidden');
    const { rows } = await gateway.pool.query(`SELECT grants FROM users WHERE id = $1`, [instructor.user.id]);
    expect(rows).toEqual([{ grants: [] }]);
  });

  it('When nobody is signed in, then 401 auth.required', async () => {
    const student = await register(gateway.url);

    const res = await setGrants(student.user.id, { grants: ['analytics:read'] }, '');

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.required');
  });

  it('When the user does not exist, then 404 user.not_found', async () => {
    const res = await setGrants(randomUUID(), { grants: ['analytics:read'] });

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('user.not_found');
  });

  it.each<[string, unknown]>([
    ['an unknown grant', { grants: ['billing:write'] }],
    ['grants that are not a list', { grants: 'analytics:read' }],
    ['no grants field', {}],
  ])('When the body has %s, then 400 naming the field and nothing changes', async (_name, body) => {
    const student = await register(gateway.url);

    const res = await setGrants(student.user.id, body);

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.validation_failed');
    expect(res.body.issues[0].path).toMatch(/^body\.grants/);
    const { rows } = await gateway.pool.query(`SELECT grants FROM users WHERE id = $1`, [student.user.id]);
    expect(rows).toEqual([{ grants: [] }]);
  });

  it('When the id is not a user id, then 400 naming it', async () => {
    const res = await setGrants('not-a-uuid', { grants: [] });

    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('params.id');
  });

  it('When the OpenAPI document is asked, then the route is there for admins, with its body and answer', async () => {
    const res = await request(gateway.url).get('/openapi.json');

    const operation = res.body.paths['/api/auth/users/{id}/grants'].put;
    expect(operation['x-roles']).toEqual(['admin']);
    expect(operation.requestBody.content['application/json'].schema.properties.grants.items.enum).toEqual([
      'analytics:read',
    ]);
    expect(operation.responses['200']).toBeDefined();
  });
});

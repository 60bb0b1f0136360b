// Grants: what an admin gives a user beyond their role, carried as the `grants` claim of the
// access token. An endpoint's access list may name grants beside roles; a user passes with a
// listed role or a listed grant, admins always. The OpenAPI document names both.
import { randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import request from 'supertest';
import { z } from 'zod';
import { createServiceApp } from '../src/app';
import {
  USER_TOKEN_AUDIENCE,
  USER_TOKEN_ISSUER,
  USER_TOKEN_TYPE,
  createUserTokenIssuer,
  createUserTokenVerifier,
  generateUserSigningKey,
  isAllowed,
  requirePermission,
} from '../src/auth/user-tokens';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';

const key = generateUserSigningKey('grants-key');
const issuer = createUserTokenIssuer(key);
const verifier = () => createUserTokenVerifier({ jwks: { keys: [key.publicJwk] } });

/** A token signed by the real key with whatever claims the test gives. */
async function signedWith(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: USER_TOKEN_TYPE })
    .setIssuer(USER_TOKEN_ISSUER)
    .setAudience(USER_TOKEN_AUDIENCE)
    .setSubject(randomUUID())
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importPKCS8(key.privateKeyPem, 'EdDSA'));
}

function appWithReports() {
  return createServiceApp({
    service: 't',
    version: '1',
    logger: createLogger({ service: 't', level: 'silent' }),
    metrics: createMetrics({ service: 't', defaultMetrics: false }),
    checks: [],
    users: verifier(),
    routes: (router, api) => {
      api.endpoint(
        {
          method: 'get',
          path: '/reports',
          summary: 'Reports',
          access: ['admin', 'analytics:read'],
          responses: { 200: z.object({ grants: z.array(z.string()) }) },
        },
        (_input, req, res) => {
          res.json({ grants: req.user?.grants });
        },
      );
      api.endpoint(
        { method: 'post', path: '/courses', summary: 'Create', access: ['instructor'], responses: { 201: null } },
        (_input, _req, res) => {
          res.status(201).end();
        },
      );
      router.get('/legacy', requirePermission('instructor'), (_req, res) => {
        res.json({ ok: true });
      });
    },
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('user grants in access tokens', () => {
  it('When a token is issued with grants, then verifying it gives the user those grants', async () => {
    const id = randomUUID();
    const { token } = await issuer.issue({ id, role: 'student', grants: ['analytics:read'] });

    const user = await verifier().verify(token);

    expect(user).toEqual({ id, role: 'student', grants: ['analytics:read'] });
  });

  it('When a token is issued without grants, then it carries no grants claim and the user has none', async () => {
    const { token } = await issuer.issue({ id: randomUUID(), role: 'student', grants: [] });

    const user = await verifier().verify(token);

    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as object;
    expect(claims).not.toHaveProperty('grants');
    expect(user.grants).toEqual([]);
  });

  it('When a token carries a grant this code does not know, then that grant is ignored and the rest kept', async () => {
    const token = await signedWith({ role: 'student', grants: ['billing:write', 'analytics:read'] });

    const user = await verifier().verify(token);

    expect(user.grants).toEqual(['analytics:read']);
  });

  it.each<[string, unknown]>([
    ['a string', 'analytics:read'],
    ['an object', { 'analytics:read': true }],
    ['an array with a number', ['analytics:read', 7]],
    ['null', null],
  ])('When the grants claim is %s, then the token is not valid (401 auth.invalid_token)', async (_name, grants) => {
    const token = await signedWith({ role: 'student', grants });

    const res = await request(appWithReports()).get('/reports').set(bearer(token));

    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.invalid_token');
  });
});

describe('access lists with grants', () => {
  it('When a student holds a listed grant, then the endpoint serves them and sees the grant', async () => {
    const { token } = await issuer.issue({ id: randomUUID(), role: 'student', grants: ['analytics:read'] });

    const res = await request(appWithReports()).get('/reports').set(bearer(token));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ grants: ['analytics:read'] });
  });

  it('When a student holds no listed grant, then 403 auth.forbidden naming the role and the grant', async () => {
    const { token } = await issuer.issue({ id: randomUUID(), role: 'student' });

    const res = await request(appWithReports()).get('/reports').set(bearer(token));

    expect(res.status).toBe(403);
    expect(res.body.code).toBe('auth.forbidden');
    expect(res.body.detail).toBe('This needs the role admin or the grant analytics:read');
  });

  it('When a grant is held that the endpoint does not list, then it opens nothing there', async () => {
    const { token } = await issuer.issue({ id: randomUUID(), role: 'student', grants: ['analytics:read'] });

    const app = appWithReports();
    const declared = await request(app).post('/courses').set(bearer(token));
    const legacy = await request(app).get('/legacy').set(bearer(token));

    expect(declared.status).toBe(403);
    expect(legacy.status).toBe(403);
  });

  it('When an admin or a listed role calls, then grants are not needed, on a declared route or a plain one', async () => {
    const admin = await issuer.issue({ id: randomUUID(), role: 'admin' });
    const instructor = await issuer.issue({ id: randomUUID(), role: 'instructor' });

    const app = appWithReports();

    expect((await request(app).get('/reports').set(bearer(admin.token))).status).toBe(200);
    expect((await request(app).post('/courses').set(bearer(instructor.token))).status).toBe(201);
    expect((await request(app).get('/legacy').set(bearer(instructor.token))).status).toBe(200);
    expect((await request(app).get('/legacy')).status).toBe(401);
  });

  it('When access is checked directly, then a role or a grant in the list passes, admins always', () => {
    expect(isAllowed({ role: 'student', grants: ['analytics:read'] }, ['analytics:read'])).toBe(true);
    expect(isAllowed({ role: 'employer', grants: [] }, ['employer'])).toBe(true);
    expect(isAllowed({ role: 'admin', grants: [] }, ['analytics:read'])).toBe(true);
    expect(isAllowed({ role: 'student', grants: [] }, ['analytics:read', 'instructor'])).toBe(false);
  });

  it('When /openapi.json is asked, then a list access names its roles in x-roles and its grants in x-grants', async () => {
    const res = await request(appWithReports()).get('/openapi.json');

    expect(res.body.paths['/reports'].get['x-roles']).toEqual(['admin']);
    expect(res.body.paths['/reports'].get['x-grants']).toEqual(['analytics:read']);
    expect(res.body.paths['/courses'].post['x-roles']).toEqual(['instructor']);
    expect(res.body.paths['/courses'].post).not.toHaveProperty('x-grants');
  });
});

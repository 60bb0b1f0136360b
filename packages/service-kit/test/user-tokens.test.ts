import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { SignJWT, importPKCS8 } from 'jose';
import request from 'supertest';
import { z } from 'zod';
import { createServiceApp } from '../src/app';
import { createServiceTokenIssuer, generateServiceKeys } from '../src/auth/service-credentials';
import { createUserTokenIssuer, createUserTokenVerifier, generateUserSigningKey } from '../src/auth/user-tokens';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';

const key = generateUserSigningKey('k1');
const users = createUserTokenVerifier({ jwks: { keys: [key.publicJwk] } });
const issuer = createUserTokenIssuer(key);

function appWithRoutes(verifier = users) {
  return createServiceApp({
    service: 't',
    version: '1',
    logger: createLogger({ service: 't', level: 'silent' }),
    metrics: createMetrics({ service: 't', defaultMetrics: false }),
    checks: [],
    users: verifier,
    routes: (_router, api) => {
      api.endpoint(
        {
          method: 'get',
          path: '/me',
          summary: 'Who am I',
          access: 'user',
          responses: { 200: z.object({ id: z.string() }) },
        },
        (_input, req, res) => {
          res.json(req.user);
        },
      );
      api.endpoint(
        { method: 'post', path: '/courses', summary: 'Create', access: ['instructor'], responses: { 201: null } },
        (_input, _req, res) => {
          res.status(201).end();
        },
      );
      api.endpoint(
        { method: 'get', path: '/open', summary: 'Anyone', access: 'public', responses: { 200: null } },
        (_input, req, res) => {
          res.json({ user: req.user ?? null });
        },
      );
    },
  });
}

describe('user access tokens', () => {
  const student = { id: randomUUID(), role: 'student' as const, grants: [] };

  it('When a valid token is sent, then the route sees the user from the token alone', async () => {
    const { token } = await issuer.issue(student);
    const res = await request(appWithRoutes())
      .get('/me')
      .set('authorization', `Bearer ${token}`)
      .set('x-user-id', randomUUID())
      .set('x-user-role', 'admin');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(student);
  });

  it('When no token is sent to a user route, then it answers 401; a public route still serves', async () => {
    const app = appWithRoutes();
    const denied = await request(app).get('/me').set('x-user-id', randomUUID());
    expect(denied.status).toBe(401);
    expect(denied.body.code).toBe('auth.required');
    expect((await request(app).get('/open')).body).toEqual({ user: null });
    expect((await request(app).get('/health')).status).toBe(200);
  });

  it('When the role does not fit, then 403; an admin passes every role check', async () => {
    const app = appWithRoutes();
    const { token } = await issuer.issue(student);
    expect((await request(app).post('/courses').set('authorization', `Bearer ${token}`)).status).toBe(403);
    const admin = await issuer.issue({ id: randomUUID(), role: 'admin' });
    expect((await request(app).post('/courses').set('authorization', `Bearer ${admin.token}`)).status).toBe(201);
  });

  it('When the token has expired, then 401 auth.token_expired', async () => {
    const { token } = await issuer.issue(student, -10);
    const res = await request(appWithRoutes()).get('/me').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.token_expired');
  });

  it('When the token is tampered with or signed by another key, then 401 auth.invalid_token', async () => {
    const { token } = await issuer.issue(student);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
    const app = appWithRoutes();
    expect((await request(app).get('/me').set('authorization', `Bearer ${forged}`)).body.code).toBe(
      'auth.invalid_token',
    );
    const other = await createUserTokenIssuer(generateUserSigningKey('k1')).issue(student);
    expect((await request(app).get('/me').set('authorization', `Bearer ${other.token}`)).status).toBe(401);
  });

  it('When a genuine token names a subject that is not a user id, then 401 auth.invalid_token', async () => {
    // Arrange: signed by the real key, but its subject cannot name a user.
    const { token } = await issuer.issue({ id: 'not-a-uuid', role: 'student' });

    // Act
    const res = await request(appWithRoutes()).get('/me').set('authorization', `Bearer ${token}`);

    // Assert
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.invalid_token');
  });

  it('When a service credential is sent to a user route, then it is no identity: 401', async () => {
    const { privateKeys } = generateServiceKeys(['azora-forge']);
    const token = await createServiceTokenIssuer({
      service: 'azora-forge',
      privateKeyPem: privateKeys['azora-forge'] as string,
    }).token();
    const res = await request(appWithRoutes()).get('/me').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });

  it('When a token has been verified, then it is remembered until it expires; one never verified is not', async () => {
    // Arrange
    const verifier = createUserTokenVerifier({ jwks: { keys: [key.publicJwk] } });
    const { token } = await issuer.issue(student, 2);
    const { token: other } = await issuer.issue(student);

    // Act
    const before = verifier.remembered?.(token);
    await verifier.verify(token);
    const after = verifier.remembered?.(token);

    // Assert
    expect(before).toBeUndefined();
    expect(after).toEqual(student);
    expect(verifier.remembered?.(other)).toBeUndefined();
    expect(verifier.remembered?.('not.a.token')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(verifier.remembered?.(token)).toBeUndefined();
  });

  it('When a remembered token comes again, then the route sees its user without a second verification', async () => {
    // Arrange
    const verifier = createUserTokenVerifier({ jwks: { keys: [key.publicJwk] } });
    const verify = jest.spyOn(verifier, 'verify');
    const app = appWithRoutes(verifier);
    const { token } = await issuer.issue(student);

    // Act
    const first = await request(app).get('/me').set('authorization', `Bearer ${token}`);
    const second = await request(app).get('/me').set('authorization', `Bearer ${token}`);

    // Assert
    expect([first.body, second.body]).toEqual([student, student]);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('When a token is signed by the right key but for another audience, then it is refused', async () => {
    const signed = await new SignJWT({ role: 'student' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'at+jwt' })
      .setIssuer('azora-gateway')
      .setAudience('somewhere-else')
      .setSubject(student.id)
      .setExpirationTime('5m')
      .sign(await importPKCS8(key.privateKeyPem, 'EdDSA'));
    expect((await request(appWithRoutes()).get('/me').set('authorization', `Bearer ${signed}`)).status).toBe(401);
  });

  it('When keys are served from a JWKS URL and rotated, then a token of the new key verifies after a refetch', async () => {
    let published = [key.publicJwk];
    const jwksApp = express().get('/.well-known/jwks.json', (_req, res) => {
      res.json({ keys: published });
    });
    const server = http.createServer(jwksApp);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const verifier = createUserTokenVerifier({
        jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
        cooldownMs: 0,
      });
      await expect(verifier.verify((await issuer.issue(student)).token)).resolves.toEqual(student);
      const next = generateUserSigningKey('k2');
      published = [key.publicJwk, next.publicJwk];
      await expect(verifier.verify((await createUserTokenIssuer(next).issue(student)).token)).resolves.toEqual(student);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

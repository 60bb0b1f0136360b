import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { SignJWT, importPKCS8 } from 'jose';
import request from 'supertest';
import {
  createServiceTokenIssuer,
  createServiceTokenVerifier,
  generateServiceKeys,
  provisionServiceKeys,
  requireServiceCredential,
} from '../src/auth/service-credentials';
import { errorHandler } from '../src/errors';

const { privateKeys, jwks } = generateServiceKeys(['azora-education', 'azora-mint']);
const stranger = generateServiceKeys(['azora-education']);
const verifier = createServiceTokenVerifier({ jwks });
const educationKey = privateKeys['azora-education'] as string;

function appRequiring(allow?: string[]) {
  const app = express();
  app.get('/internal', requireServiceCredential(verifier, allow), (req, res) => {
    res.json({ caller: req.caller });
  });
  app.use(errorHandler);
  return app;
}

describe('service credentials', () => {
  it('When a service signs a token with its own key, then it verifies as that service', async () => {
    const token = await createServiceTokenIssuer({ service: 'azora-education', privateKeyPem: educationKey }).token();
    await expect(verifier.verify(token)).resolves.toEqual({ service: 'azora-education' });
  });

  it('When a token is reused within its lifetime, then the issuer hands out the same token', async () => {
    const issuer = createServiceTokenIssuer({ service: 'azora-education', privateKeyPem: educationKey });
    expect(await issuer.token()).toBe(await issuer.token());
  });

  it('When the signing key is not in the deployment key set, then the token is refused', async () => {
    const token = await createServiceTokenIssuer({
      service: 'azora-education',
      privateKeyPem: stranger.privateKeys['azora-education'] as string,
    }).token();
    await expect(verifier.verify(token)).rejects.toMatchObject({
      status: 401,
      code: 'auth.invalid_service_credential',
    });
  });

  it('When a service signs for another service, then the token is refused', async () => {
    const key = await importPKCS8(educationKey, 'EdDSA');
    const forged = await new SignJWT({ token_use: 'service' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'azora-education', typ: 'azora-service+jwt' })
      .setIssuer('azora-mint')
      .setSubject('azora-mint')
      .setAudience('azora-services')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    await expect(verifier.verify(forged)).rejects.toMatchObject({ status: 401 });
  });

  it('When a user access token is presented, then it does not pass as a service credential', async () => {
    const key = await importPKCS8(educationKey, 'EdDSA');
    const userToken = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'azora-education', typ: 'at+jwt' })
      .setSubject('8c1f0c1e-0000-4000-8000-000000000000')
      .setAudience('azora-api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    await expect(verifier.verify(userToken)).rejects.toMatchObject({ status: 401 });
  });

  it('When the token has expired, then it is refused as expired', async () => {
    const key = await importPKCS8(educationKey, 'EdDSA');
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ token_use: 'service' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'azora-education', typ: 'azora-service+jwt' })
      .setIssuer('azora-education')
      .setSubject('azora-education')
      .setAudience('azora-services')
      .setIssuedAt(now - 600)
      .setExpirationTime(now - 300)
      .sign(key);
    await expect(verifier.verify(expired)).rejects.toMatchObject({
      status: 401,
      code: 'auth.service_credential_expired',
    });
  });

  it('When a route requires a service credential and none is sent, then it answers 401 problem+json', async () => {
    const res = await request(appRequiring()).get('/internal');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('auth.service_credential_required');
  });

  it('When a valid service calls, then the route sees the caller; when the service is not allowed, then 403', async () => {
    const token = await createServiceTokenIssuer({ service: 'azora-education', privateKeyPem: educationKey }).token();
    const ok = await request(appRequiring()).get('/internal').set('authorization', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body.caller).toEqual({ service: 'azora-education' });
    const denied = await request(appRequiring(['azora-mint']))
      .get('/internal')
      .set('authorization', `Bearer ${token}`);
    expect(denied.status).toBe(403);
  });

  it('When keys are provisioned twice, then the second run keeps the keys and private keys are mode 0600', async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'azora-keys-')), 'keys');
    const first = await provisionServiceKeys(dir, ['azora-education', 'azora-mint']);
    const pem = await readFile(first.keyFile('azora-mint'), 'utf8');
    const second = await provisionServiceKeys(dir, ['azora-education', 'azora-mint']);
    expect(await readFile(second.keyFile('azora-mint'), 'utf8')).toBe(pem);
    expect((await stat(first.keyFile('azora-mint'))).mode & 0o777).toBe(0o600);
    const set = JSON.parse(await readFile(first.jwksFile, 'utf8')) as { keys: { kid: string }[] };
    expect(set.keys.map((k) => k.kid).sort()).toEqual(['azora-education', 'azora-mint']);
    const token = await createServiceTokenIssuer({ service: 'azora-mint', privateKeyPem: pem }).token();
    await expect(createServiceTokenVerifier({ jwks: set as never }).verify(token)).resolves.toEqual({
      service: 'azora-mint',
    });
  });
});

// A gateway of the test's own, on @azora/testing's startTestService: its own database (or the one
// of the instance it shares), listening on a free port (services fetch its key set over HTTP),
// with the settings and upstreams the test gives.
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '@azora/service-kit';
import { startTestService, type TestService } from '@azora/testing';
import request from 'supertest';
import { createGateway, type ApiGatewayDeps, type Gateway } from '../../src/app';
import { SERVICE } from '../../src/config';
import { keyEncryptionKeyFrom, type KeyEncryptionKey } from '../../src/keys/key-encryption';

export interface TestGateway extends Gateway, Omit<TestService<Gateway, Clock>, 'app' | 'close'> {
  url: string;
  /** What encrypts the signing keys it keeps in its database. */
  keyEncryptionKey: KeyEncryptionKey;
  close(): Promise<void>;
}

export async function startGateway(
  options: Partial<Pick<ApiGatewayDeps, 'settings' | 'upstreams' | 'signingKeyPem' | 'keyEncryptionKey'>> & {
    clock?: Clock;
    /** A second instance of this gateway: same database (and encryption key unless given). */
    sharing?: TestGateway;
  } = {},
): Promise<TestGateway> {
  const keyEncryptionKey =
    options.keyEncryptionKey ?? options.sharing?.keyEncryptionKey ?? keyEncryptionKeyFrom(randomBytes(32));
  const t = await startTestService({
    info: SERVICE,
    clock: options.clock ?? systemClock,
    poolSize: 5,
    ...(options.sharing ? { sharing: options.sharing } : {}),
    createApp: (deps) =>
      createGateway({
        ...deps,
        settings: options.settings,
        upstreams: options.upstreams ?? [],
        signingKeyPem: options.signingKeyPem,
        keyEncryptionKey,
      }),
  });
  const gateway = t.service;
  return {
    ...t,
    ...gateway,
    url: await t.listen(),
    keyEncryptionKey,
    async close() {
      gateway.close();
      await t.close();
    },
  };
}

let counter = 0;
/** A unique, valid registration. */
export function newAccount(overrides: Partial<{ email: string; password: string; name: string; role: string }> = {}) {
  counter += 1;
  return {
    email: `user${counter}-${Date.now()}@example.com`,
    password: 'correct-horse-42',
    name: `User ${counter}`,
    role: 'student',
    ...overrides,
  };
}

/** Registers a new account through the gateway and returns the response body. */
export async function register(url: string, overrides: Parameters<typeof newAccount>[0] = {}) {
  const account = newAccount(overrides);
  const res = await request(url).post('/api/auth/register').send(account);
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    account,
    ...(res.body as { user: { id: string; email: string; role: string }; accessToken: string; refreshToken: string }),
  };
}

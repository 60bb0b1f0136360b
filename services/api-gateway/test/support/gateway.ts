// A gateway of the test's own: its own database, listening on a free port (services fetch its
// key set over HTTP), with the settings and upstreams the test gives.
import { randomBytes } from 'node:crypto';
import { createCoreDeps, createPool, startServer, type Clock, type CoreDeps, type Pool } from '@azora/service-kit';
import { createTestDatabase, type TestDatabase } from '@azora/testing';
import request from 'supertest';
import { createGateway, type ApiGatewayDeps, type Gateway } from '../../src/app';
import { SERVICE } from '../../src/config';
import { keyEncryptionKeyFrom, type KeyEncryptionKey } from '../../src/keys/key-encryption';

export interface TestGateway extends Gateway {
  url: string;
  pool: Pool;
  db: TestDatabase;
  deps: CoreDeps;
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
  const db = options.sharing?.db ?? (await createTestDatabase());
  const keyEncryptionKey =
    options.keyEncryptionKey ?? options.sharing?.keyEncryptionKey ?? keyEncryptionKeyFrom(randomBytes(32));
  const pool = createPool({ connectionString: db.urlFor(SERVICE.schema), schema: SERVICE.schema, max: 5 });
  const deps = createCoreDeps({ service: SERVICE.name, pool, ...(options.clock ? { clock: options.clock } : {}) });
  const gateway = createGateway({
    ...deps,
    settings: options.settings,
    upstreams: options.upstreams ?? [],
    signingKeyPem: options.signingKeyPem,
    keyEncryptionKey,
  });
  const running = await startServer({ app: gateway.app, port: 0 });
  return {
    ...gateway,
    url: running.url,
    pool,
    db,
    deps,
    keyEncryptionKey,
    async close() {
      await running.stop();
      gateway.close();
      await pool.end();
      if (!options.sharing) await db.drop();
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

// One Mint for a test file: its own database and pool, user and service keys, the app listening
// on 127.0.0.1:0, signed event deliveries, and helpers to open and fund wallets.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { eventOwner, type EventData, type EventType, type LedgerCheckReport, type StoredEvent } from '@azora/contracts';
import {
  DELIVERY_PATH,
  createCoreDeps,
  createHttpServer,
  createPool,
  createServiceTokenIssuer,
  createServiceTokenVerifier,
  createUserTokenIssuer,
  createUserTokenVerifier,
  generateServiceKeys,
  generateUserSigningKey,
  signDelivery,
  type Clock,
  type Pool,
  type UserRole,
} from '@azora/service-kit';
import { createTestDatabase, type TestDatabase } from '@azora/testing';
import { createApp, type MintDeps } from '../../src/app';
import type { MintSettings } from '../../src/domain/settings';

export interface TestUser {
  id: string;
  token: string;
  auth: { authorization: string };
}

export interface Mint {
  readonly db: TestDatabase;
  readonly pool: Pool;
  readonly deps: MintDeps;
  readonly url: string;
  /** A signed-in user; with a wallet holding `balance` AZR unless `wallet` is false. */
  user(options?: { role?: UserRole; balance?: number; wallet?: boolean }): Promise<TestUser>;
  admin(): Promise<TestUser>;
  serviceAuth(service: string): Promise<{ authorization: string }>;
  /** Delivers events the way Nexus does: signed, to the delivery endpoint. */
  deliver(events: StoredEvent[]): request.Test;
  event<T extends EventType>(type: T, data: EventData<T>, overrides?: Partial<StoredEvent>): StoredEvent;
  balance(userId: string): Promise<number>;
  check(): Promise<LedgerCheckReport>;
  close(): Promise<void>;
}

const SERVICES = ['azora-forge', 'azora-education', 'azora-pay', 'analytics-service'];

export async function startMint({
  settings,
  poolSize = 8,
  clock,
}: { settings?: Partial<MintSettings>; poolSize?: number; clock?: Clock } = {}): Promise<Mint> {
  const db = await createTestDatabase();
  const pool = createPool({ connectionString: db.urlFor('mint'), schema: 'mint', max: poolSize });
  const userKey = generateUserSigningKey();
  const users = createUserTokenVerifier({ jwks: { keys: [userKey.publicJwk] } });
  const issuer = createUserTokenIssuer(userKey);
  const { privateKeys, jwks } = generateServiceKeys(SERVICES);
  const serviceTokens = createServiceTokenVerifier({ jwks });
  const deps: MintDeps = {
    ...createCoreDeps({ service: 'azora-mint', pool, users, serviceTokens, ...(clock ? { clock } : {}) }),
    settings,
  };
  const subscriptionId = randomUUID();
  const secret = 'test-subscription-secret';
  deps.events.useSubscription(subscriptionId, secret);
  const server = createHttpServer(createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let seq = 0;

  const signIn = async (id: string, role: UserRole): Promise<TestUser> => {
    const { token } = await issuer.issue({ id, role });
    return { id, token, auth: { authorization: `Bearer ${token}` } };
  };

  const mint: Mint = {
    db,
    pool,
    deps,
    url,
    event: (type, data, overrides = {}) => ({
      id: randomUUID(),
      seq: ++seq,
      type,
      source: eventOwner(type) ?? 'unknown',
      occurredAt: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
      data: data as Record<string, unknown>,
      ...overrides,
    }),
    deliver(events) {
      const body = JSON.stringify({ subscriptionId, events });
      return (
        request(url)
          .post(DELIVERY_PATH)
          .set('content-type', 'application/json')
          // Signed at Mint's own time, which a test may have fixed.
          .set('azora-signature', signDelivery(secret, body, Math.floor(deps.clock.now().getTime() / 1000)))
          .send(body)
      );
    },
    async admin() {
      return signIn(randomUUID(), 'admin');
    },
    async user({ role = 'student', balance = 0, wallet = true } = {}) {
      const user = await signIn(randomUUID(), role);
      if (wallet) {
        const registered = await mint.deliver([
          mint.event('identity.user.registered', {
            userId: user.id,
            email: `${user.id}@example.com`,
            name: 'Test',
            role,
          }),
        ]);
        expect(registered.status).toBe(200);
      }
      if (balance > 0) {
        const admin = await mint.admin();
        const funded = await request(url)
          .post('/admin/mint')
          .set(admin.auth)
          .send({ userId: user.id, amount: balance, memo: 'test funds' });
        expect(funded.status).toBe(201);
      }
      return user;
    },
    async serviceAuth(service) {
      const token = await createServiceTokenIssuer({ service, privateKeyPem: privateKeys[service] as string }).token();
      return { authorization: `Bearer ${token}` };
    },
    async balance(userId) {
      const { rows } = await pool.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [
        `user:${userId}`,
      ]);
      return rows[0]?.balance ?? 0;
    },
    async check() {
      const admin = await mint.admin();
      const res = await request(url).get('/admin/ledger/check').set(admin.auth);
      expect(res.status).toBe(200);
      return res.body as LedgerCheckReport;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
      await db.drop();
    },
  };
  return mint;
}

/** POST /transfers from `from` with a fresh (or given) Idempotency-Key. */
export function transfer(mint: Mint, from: TestUser, body: Record<string, unknown>, key: string = randomUUID()) {
  return request(mint.url).post('/transfers').set(from.auth).set('idempotency-key', key).send(body);
}

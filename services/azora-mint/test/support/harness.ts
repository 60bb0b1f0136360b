// One Mint for a test file, on @azora/testing's startTestService (its own database and pool, user
// tokens, the callers' service credentials, signed deliveries), listening on 127.0.0.1, with
// shortcuts to open and fund wallets and read balances.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { EventData, EventType, LedgerCheckReport, StoredEvent } from '@azora/contracts';
import { systemClock, type Clock, type UserRole } from '@azora/service-kit';
import { aFundedWallet, startTestService, type TestService, type TestUser } from '@azora/testing';
import { createApp, type MintDeps } from '../../src/app';
import { SERVICE } from '../../src/config';
import type { MintSettings } from '../../src/domain/settings';

export type { TestUser };

interface MintService {
  readonly app: ReturnType<typeof createApp>;
  readonly deps: MintDeps;
}

export interface Mint extends Omit<TestService<MintService, Clock>, 'deps'> {
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
}

const CALLERS = ['azora-forge', 'azora-education', 'azora-pay', 'analytics-service'];

export async function startMint({
  settings,
  poolSize = 8,
  clock = systemClock,
}: { settings?: Partial<MintSettings>; poolSize?: number; clock?: Clock } = {}): Promise<Mint> {
  const t = await startTestService({
    info: SERVICE,
    clock,
    poolSize,
    services: CALLERS,
    createApp: (core): MintService => {
      const deps: MintDeps = { ...core, settings };
      return { app: createApp(deps), deps };
    },
  });
  const url = await t.listen();

  const mint: Mint = {
    ...t,
    deps: t.service.deps,
    url,
    event: (type, data, overrides) => t.deliveries.event(type, data, overrides),
    deliver: (events) => t.deliveries.deliver(events),
    admin: () => t.users.admin(),
    async user({ role = 'student', balance = 0, wallet = true } = {}) {
      const user = await t.users.user(role);
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
      if (balance > 0) await aFundedWallet({ app: url }, await mint.admin(), user, balance);
      return user;
    },
    serviceAuth: (service) => t.credentials.auth(service),
    async balance(userId) {
      const { rows } = await t.pool.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [
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
  };
  return mint;
}

/** POST /transfers from `from` with a fresh (or given) Idempotency-Key. */
export function transfer(mint: Mint, from: TestUser, body: Record<string, unknown>, key: string = randomUUID()) {
  return request(mint.url).post('/transfers').set(from.auth).set('idempotency-key', key).send(body);
}

// One Education app for a test file: its own database and pool, real user tokens signed by a
// test key, signed event deliveries as Nexus would send them, and a look into the outbox.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { EventData, StoredEvent } from '@azora/contracts';
import {
  DELIVERY_PATH,
  createCoreDeps,
  createPool,
  createUserTokenIssuer,
  createUserTokenVerifier,
  fixedClock,
  generateUserSigningKey,
  signDelivery,
  type CoreDeps,
  type Pool,
  type UserRole,
} from '@azora/service-kit';
import { createTestDatabase, type TestDatabase } from '@azora/testing';
import { createApp } from '../../src/app';
import { SERVICE } from '../../src/config';

export interface TestUser {
  id: string;
  role: UserRole;
  token: string;
}

export interface OutboxEvent {
  type: string;
  subject: string | null;
  data: Record<string, unknown>;
}

type PaymentData = EventData<'pay.payment.succeeded'>;

export interface Harness {
  readonly app: ReturnType<typeof createApp>;
  readonly pool: Pool;
  readonly deps: CoreDeps;
  readonly clock: ReturnType<typeof fixedClock>;
  user(role?: UserRole): Promise<TestUser>;
  /** Delivers the events as one signed Nexus batch. */
  deliver(events: StoredEvent[]): request.Test;
  /** A Pay event about a payment, ready to deliver. */
  payEvent(type: 'pay.payment.succeeded' | 'pay.payment.refunded', data: PaymentData): StoredEvent;
  /** Events in the outbox, oldest first; only those of `type` when given. */
  outbox(type?: string): Promise<OutboxEvent[]>;
  close(): Promise<void>;
}

const SUBSCRIPTION = randomUUID();
const SECRET = 'education-test-subscription-secret';

export async function startEducation({ at = '2026-03-02T09:00:00.000Z' } = {}): Promise<Harness> {
  const db: TestDatabase = await createTestDatabase();
  const pool = createPool({ connectionString: db.urlFor(SERVICE.schema), schema: SERVICE.schema, max: 12 });
  const key = generateUserSigningKey();
  const users = createUserTokenVerifier({ jwks: { keys: [key.publicJwk] } });
  const issuer = createUserTokenIssuer(key);
  const clock = fixedClock(at);
  const deps = createCoreDeps({ service: SERVICE.name, pool, users, clock });
  deps.events.useSubscription(SUBSCRIPTION, SECRET);
  const app = createApp(deps);
  let seq = 0;

  return {
    app,
    pool,
    deps,
    clock,
    async user(role = 'student') {
      const id = randomUUID();
      const { token } = await issuer.issue({ id, role });
      return { id, role, token };
    },
    deliver(events) {
      const body = JSON.stringify({ subscriptionId: SUBSCRIPTION, events });
      return request(app)
        .post(DELIVERY_PATH)
        .set('content-type', 'application/json')
        .set('azora-signature', signDelivery(SECRET, body, Math.floor(clock.now().getTime() / 1000)))
        .send(body);
    },
    payEvent(type, data) {
      seq += 1;
      return {
        id: randomUUID(),
        seq,
        type,
        source: 'azora-pay',
        occurredAt: clock.now().toISOString(),
        receivedAt: clock.now().toISOString(),
        subject: data.userId,
        data,
      };
    },
    async outbox(type) {
      const { rows } = await pool.query<OutboxEvent>(
        `SELECT type, subject, data FROM outbox WHERE $1::text IS NULL OR type = $1 ORDER BY position`,
        [type ?? null],
      );
      return rows;
    },
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}

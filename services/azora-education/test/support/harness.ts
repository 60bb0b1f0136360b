// One Education app for a test file: its own database and pool, real user tokens, signed event
// deliveries as Nexus sends them (all from @azora/testing), and a look into the outbox.
import type request from 'supertest';
import type { EventData, StoredEvent } from '@azora/contracts';
import {
  createCoreDeps,
  createPool,
  fixedClock,
  type CoreDeps,
  type Pool,
  type ServiceTokenVerifier,
  type UserRole,
} from '@azora/service-kit';
import {
  createTestDatabase,
  createTestDeliveries,
  createTestIdentities,
  type TestDatabase,
  type TestUser,
} from '@azora/testing';
import { createApp } from '../../src/app';
import { SERVICE } from '../../src/config';

export type { TestUser };

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

export async function startEducation({
  at = '2026-03-02T09:00:00.000Z',
  serviceTokens,
}: { at?: string; serviceTokens?: ServiceTokenVerifier } = {}): Promise<Harness> {
  const db: TestDatabase = await createTestDatabase();
  const pool = createPool({ connectionString: db.urlFor(SERVICE.schema), schema: SERVICE.schema, max: 12 });
  const identities = createTestIdentities();
  const clock = fixedClock(at);
  const deps = createCoreDeps({ service: SERVICE.name, pool, users: identities.verifier, serviceTokens, clock });
  const app = createApp(deps);
  const deliveries = createTestDeliveries(deps.events, app, { clock });

  return {
    app,
    pool,
    deps,
    clock,
    user: (role = 'student') => identities.user(role),
    deliver: (events) => deliveries.deliver(events),
    payEvent: (type, data) => deliveries.event(type, data, { subject: data.userId }),
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

// One Forge for a test file: its own database and pool, real user tokens, Forge's own service
// credential (checked by the fake Mint it calls), signed event deliveries as Nexus sends them (all
// from @azora/testing), the escrow reconciler to run by hand, and a look into the outbox.
import type request from 'supertest';
import type { EventData, StoredEvent } from '@azora/contracts';
import {
  createCoreDeps,
  createPool,
  fixedClock,
  type CoreDeps,
  type Pool,
  type ServiceTokenIssuer,
  type UserRole,
} from '@azora/service-kit';
import {
  createTestDatabase,
  createTestDeliveries,
  createTestIdentities,
  createTestServiceCredentials,
  type TestDatabase,
  type TestUser,
} from '@azora/testing';
import { createForgeService, type ForgeService } from '../../src/app';
import { DEFAULT_FORGE_SETTINGS, SERVICE } from '../../src/config';
import { startFakeMint, type FakeMint } from './fake-mint';

export type { TestUser };

export interface OutboxEvent {
  type: string;
  subject: string | null;
  data: Record<string, unknown>;
}

type CourseCompleted = EventData<'education.course.completed'>;

export interface Harness {
  readonly app: ForgeService['app'];
  readonly service: ForgeService;
  readonly pool: Pool;
  readonly deps: CoreDeps;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly mint: FakeMint;
  user(role?: UserRole): Promise<TestUser>;
  admin(): Promise<TestUser>;
  /** An employer whose Mint wallet holds `balance` AZR. */
  employer(balance?: number): Promise<TestUser>;
  /** Delivers the events as one signed Nexus batch. */
  deliver(events: StoredEvent[]): request.Test;
  /** Education's event for `userId` completing a course that teaches `skills`. */
  courseCompleted(userId: string, skills: string[], data?: Partial<CourseCompleted>): StoredEvent;
  /** Delivers a completed course for the user and checks it was accepted. */
  proveSkills(userId: string, skills: string[]): Promise<void>;
  /** Events in the outbox, oldest first; only those of `type` when given. */
  outbox(type?: string): Promise<OutboxEvent[]>;
  /** A second Forge over the same database and Mint, as a restarted process would be. */
  restarted(): ForgeService;
  close(): Promise<void>;
}

export async function startForge({ at = '2026-03-02T09:00:00.000Z' } = {}): Promise<Harness> {
  const db: TestDatabase = await createTestDatabase();
  const pool = createPool({ connectionString: db.urlFor(SERVICE.schema), schema: SERVICE.schema, max: 12 });
  const identities = createTestIdentities();
  const services = createTestServiceCredentials([SERVICE.name, 'azora-education']);
  const credentials: ServiceTokenIssuer = {
    service: SERVICE.name,
    token: async () => (await services.auth(SERVICE.name)).authorization.slice('Bearer '.length),
  };
  const mint = await startFakeMint(services.verifier);
  const clock = fixedClock(at);
  const deps = createCoreDeps({ service: SERVICE.name, pool, users: identities.verifier, credentials, clock });
  const settings = {
    ...DEFAULT_FORGE_SETTINGS,
    mintUrl: mint.url,
    mintTimeoutMs: 2_000,
    reconcile: { intervalMs: 60_000, minAgeMs: 0, batch: 100 },
  };
  const service = createForgeService(deps, settings);
  const restarts: ForgeService[] = [];
  const deliveries = createTestDeliveries(deps.events, service.app, { clock });

  const harness: Harness = {
    app: service.app,
    service,
    pool,
    deps,
    clock,
    mint,
    user: (role = 'student') => identities.user(role),
    admin: () => identities.admin(),
    async employer(balance = 1_000) {
      const employer = await identities.user('employer');
      mint.fund(employer.id, balance);
      return employer;
    },
    deliver: (events) => deliveries.deliver(events),
    courseCompleted: (userId, skills, data = {}) =>
      deliveries.event(
        'education.course.completed',
        {
          courseId: crypto.randomUUID(),
          userId,
          skills,
          authorIds: [crypto.randomUUID()],
          rewardEligible: true,
          ...data,
        },
        { subject: userId },
      ),
    async proveSkills(userId, skills) {
      const res = await harness.deliver([harness.courseCompleted(userId, skills)]);
      if (res.status !== 200) throw new Error(`delivering a completed course answered ${res.status}: ${res.text}`);
    },
    async outbox(type) {
      const { rows } = await pool.query<OutboxEvent>(
        `SELECT type, subject, data FROM outbox WHERE $1::text IS NULL OR type = $1 ORDER BY position`,
        [type ?? null],
      );
      return rows;
    },
    restarted() {
      const again = createForgeService(
        createCoreDeps({ service: SERVICE.name, pool, users: identities.verifier, credentials, clock }),
        settings,
      );
      restarts.push(again);
      return again;
    },
    async close() {
      await service.reconciler.stop();
      for (const again of restarts) await again.reconciler.stop();
      await mint.close();
      await pool.end();
      await db.drop();
    },
  };
  return harness;
}

// One Analytics app for a test file: its own database and pool, a fixed clock, real user
// tokens and signed bus deliveries (from @azora/testing), and shortcuts for tracking and
// reading reports the way clients and admins do.
import request from 'supertest';
import type { EventData, EventType, StoredEvent, TrackedEvent } from '@azora/contracts';
import {
  createCoreDeps,
  createLogger,
  createPool,
  fixedClock,
  type Pool,
  type UserGrant,
  type UserRole,
} from '@azora/service-kit';
import {
  createTestDatabase,
  createTestDeliveries,
  createTestIdentities,
  type TestDatabase,
  type TestUser,
} from '@azora/testing';
import { analyticsContext, createApp, type AnalyticsDeps } from '../../src/app';
import { SERVICE } from '../../src/config';
import { createPostgresStore } from '../../src/db/store';
import type { AnalyticsSettings } from '../../src/domain/settings';
import type { AnalyticsContext } from '../../src/use-cases/context';
import { createMaintenance, type Maintenance } from '../../src/use-cases/maintenance';

export type { TestUser };

export interface Harness {
  readonly app: ReturnType<typeof createApp>;
  readonly pool: Pool;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly ctx: AnalyticsContext;
  readonly maintenance: Maintenance;
  /** A signed-in user of the role (student), holding the grants (none). */
  user(role?: UserRole, grants?: readonly UserGrant[]): Promise<TestUser>;
  admin(): Promise<TestUser>;
  /** POST /track with the events, signed in as `as` when given. */
  track(events: TrackedEvent[], as?: TestUser): request.Test;
  /** Like track, but fails the test unless the batch is accepted, and waits for the roll-ups. */
  tracked(events: TrackedEvent[], as?: TestUser): Promise<{ stored: number; duplicates: number }>;
  /** Brings every stored batch into the roll-ups (the roller does it soon after in a running service). */
  rolledUp(): Promise<void>;
  /** A bus event as Nexus stores it. */
  busEvent<T extends EventType>(type: T, data: EventData<T>, overrides?: Partial<StoredEvent>): StoredEvent;
  /** Delivers the events as one signed Nexus batch. */
  deliver(events: StoredEvent[]): request.Test;
  /** GET `path` as an admin once the roll-ups are up to date; fails the test unless it answers 200. */
  report<T = Record<string, unknown>>(path: string): Promise<T>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  at?: string;
  settings?: Partial<AnalyticsSettings>;
  exportPageSize?: number;
}

export async function startAnalytics({
  at = '2026-03-11T12:00:00.000Z',
  settings,
  exportPageSize,
}: HarnessOptions = {}): Promise<Harness> {
  const db: TestDatabase = await createTestDatabase();
  const pool = createPool({ connectionString: db.urlFor(SERVICE.schema), schema: SERVICE.schema, max: 12 });
  const identities = createTestIdentities();
  const clock = fixedClock(at);
  const deps: AnalyticsDeps = {
    ...createCoreDeps({
      service: SERVICE.name,
      pool,
      users: identities.verifier,
      clock,
      // TEST_LOG_LEVEL=error shows what a 500 hides.
      logger: createLogger({ service: SERVICE.name, level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    }),
    settings,
    store: createPostgresStore({ pool, ...(exportPageSize ? { exportPageSize } : {}) }),
  };
  const ctx = analyticsContext(deps);
  const app = createApp(deps, ctx);
  const deliveries = createTestDeliveries(deps.events, app, { clock });
  const admin = await identities.user('admin');

  const track = (events: TrackedEvent[], as?: TestUser) => {
    const req = request(app).post('/track');
    return (as ? req.set(as.auth) : req).send({ events });
  };
  return {
    app,
    pool,
    clock,
    ctx,
    maintenance: createMaintenance(ctx),
    user: (role = 'student', grants = []) => identities.user(role, undefined, grants),
    admin: () => identities.user('admin'),
    track,
    async tracked(events, as) {
      const res = await track(events, as);
      if (res.status !== 202) throw new Error(`tracking answered ${res.status}: ${res.text}`);
      await ctx.rollups.catchUp();
      return res.body as { stored: number; duplicates: number };
    },
    rolledUp: () => ctx.rollups.catchUp(),
    busEvent: (type, data, overrides) => deliveries.event(type, data, overrides),
    deliver: (events) => deliveries.deliver(events),
    async report<T>(path: string) {
      await ctx.rollups.catchUp();
      const res = await request(app).get(path).set(admin.auth);
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
      return res.body as T;
    },
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}

// One Analytics app for a test file, on @azora/testing's startTestService (its own database
// and pool, a fixed clock, real user tokens, signed bus deliveries), with shortcuts for tracking
// and reading reports the way clients and admins do.
import request from 'supertest';
import type { EventData, EventType, StoredEvent, TrackedEvent } from '@azora/contracts';
import type { fixedClock, Pool, UserGrant, UserRole } from '@azora/service-kit';
import { startTestService, type TestUser } from '@azora/testing';
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
  const t = await startTestService({
    info: SERVICE,
    at,
    createApp(core) {
      const deps: AnalyticsDeps = {
        ...core,
        settings,
        store: createPostgresStore({ pool: core.pool, ...(exportPageSize ? { exportPageSize } : {}) }),
      };
      const ctx = analyticsContext(deps);
      return { app: createApp(deps, ctx), ctx };
    },
  });
  const { app, ctx } = t.service;
  const admin = await t.users.admin();

  const track = (events: TrackedEvent[], as?: TestUser) => {
    const req = request(app).post('/track');
    return (as ? req.set(as.auth) : req).send({ events });
  };
  return {
    app,
    pool: t.pool,
    clock: t.clock,
    ctx,
    maintenance: createMaintenance(ctx),
    user: (role = 'student', grants = []) => t.users.user(role, undefined, grants),
    admin: () => t.users.admin(),
    track,
    async tracked(events, as) {
      const res = await track(events, as);
      if (res.status !== 202) throw new Error(`tracking answered ${res.status}: ${res.text}`);
      await ctx.rollups.catchUp();
      return res.body as { stored: number; duplicates: number };
    },
    rolledUp: () => ctx.rollups.catchUp(),
    busEvent: (type, data, overrides) => t.deliveries.event(type, data, overrides),
    deliver: (events) => t.deliveries.deliver(events),
    async report<T>(path: string) {
      await ctx.rollups.catchUp();
      const res = await request(app).get(path).set(admin.auth);
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
      return res.body as T;
    },
    close: () => t.close(),
  };
}

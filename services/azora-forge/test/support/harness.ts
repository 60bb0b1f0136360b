// One Forge for a test file, on @azora/testing's startTestService (its own database and pool,
// real user tokens, signed deliveries, the outbox), with Forge's own service credential checked
// by the fake Mint it calls, and the escrow reconciler to run by hand.
import type request from 'supertest';
import type { EventData, StoredEvent } from '@azora/contracts';
import { createCoreDeps, type UserRole } from '@azora/service-kit';
import { createTestServiceCredentials, startTestService, type TestService, type TestUser } from '@azora/testing';
import { createForgeService, type ForgeService } from '../../src/app';
import { DEFAULT_FORGE_SETTINGS, SERVICE } from '../../src/config';
import { startFakeMint, type FakeMint } from './fake-mint';

export type { TestUser };

type CourseCompleted = EventData<'education.course.completed'>;

export interface Harness extends TestService<ForgeService> {
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
  /** A second Forge over the same database and Mint, as a restarted process would be. */
  restarted(): ForgeService;
}

export async function startForge({ at }: { at?: string } = {}): Promise<Harness> {
  const credentials = createTestServiceCredentials([SERVICE.name]);
  const mint = await startFakeMint(credentials.verifier);
  const settings = {
    ...DEFAULT_FORGE_SETTINGS,
    mintUrl: mint.url,
    mintTimeoutMs: 2_000,
    reconcile: { intervalMs: 60_000, minAgeMs: 0, batch: 100 },
  };
  const t = await startTestService({
    info: SERVICE,
    at,
    credentials,
    callsOthers: true,
    createApp: (deps) => createForgeService(deps, settings),
  });
  const restarts: ForgeService[] = [];

  const harness: Harness = {
    ...t,
    mint,
    user: (role = 'student') => t.users.user(role),
    admin: () => t.users.admin(),
    async employer(balance = 1_000) {
      const employer = await t.users.user('employer');
      mint.fund(employer.id, balance);
      return employer;
    },
    deliver: (events) => t.deliveries.deliver(events),
    courseCompleted: (userId, skills, data = {}) =>
      t.deliveries.event(
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
    restarted() {
      const deps = { service: SERVICE.name, pool: t.pool, users: t.users.verifier, clock: t.clock };
      const again = createForgeService(createCoreDeps({ ...deps, credentials: t.deps.credentials }), settings);
      restarts.push(again);
      return again;
    },
    async close() {
      await t.service.reconciler.stop();
      for (const again of restarts) await again.reconciler.stop();
      await mint.close();
      await t.close();
    },
  };
  return harness;
}

// Funnels read the days summarized into timelines and the raw events after them: whichever
// days are summarized, a funnel answers the same. Summarized days still take late events and
// sign-ins, and lose what retention drops from the raw events.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { TrackedEvent } from '@azora/contracts';
import { anEvent } from './support/events';
import { startAnalytics, type Harness, type TestUser } from './support/harness';
import { seededRandom } from './support/random';

const NAMES = ['Course Viewed', 'Enroll Clicked', 'Checkout Completed'];
const [VIEW, CLICK, PAY] = NAMES as [string, string, string];

const FUNNELS = [
  { steps: [VIEW, CLICK, PAY], windowHours: 24, from: '2026-03-02', to: '2026-03-10' },
  { steps: [VIEW, CLICK, PAY], windowHours: 72, from: '2026-03-04', to: '2026-03-11' },
  { steps: [VIEW, VIEW, CLICK], windowHours: 48, from: '2026-03-01', to: '2026-03-11' },
  { steps: [CLICK, VIEW, CLICK, PAY], windowHours: 96, from: '2026-03-03', to: '2026-03-08' },
  // instants, not whole days
  { steps: [VIEW, PAY], windowHours: 12, from: '2026-03-03T06:30:00.000Z', to: '2026-03-09T18:15:00.000Z' },
];

describe('funnel timelines', () => {
  let h: Harness;
  let admin: TestUser;
  beforeAll(async () => {
    h = await startAnalytics({ at: '2026-03-11T12:00:00.000Z' });
    admin = await h.admin();
  });
  afterAll(() => h.close());

  const counts = async (body: object): Promise<number[]> => {
    const res = await request(h.app).post('/funnels').set(admin.auth).send(body);
    if (res.status !== 200) throw new Error(`funnel answered ${res.status}: ${res.text}`);
    return (res.body.steps as Array<{ count: number }>).map((s) => s.count);
  };
  const allCounts = () => Promise.all(FUNNELS.map(counts));
  const summarizedUntil = async () =>
    (await h.pool.query<{ until: Date | null }>('SELECT summarized_until AS until FROM timeline_progress')).rows[0]
      ?.until ?? null;

  it('When none, some or all of the days are summarized, then every funnel answers the same', async () => {
    const rand = seededRandom(20260305);
    const start = Date.parse('2026-03-01T00:00:00.000Z');
    const span = Date.parse('2026-03-11T11:00:00.000Z') - start;
    const at = () => new Date(start + Math.floor(rand() * span)).toISOString();
    const users = await Promise.all(Array.from({ length: 8 }, () => h.user()));
    for (let b = 0; b < 40; b++) {
      const user = users[b % users.length] as TestUser;
      const visitor = `funnel-visitor-${Math.floor(rand() * 12)}`;
      const anonymous = rand() < 0.5;
      const events: TrackedEvent[] = Array.from({ length: 1 + Math.floor(rand() * 10) }, () =>
        anEvent(NAMES[Math.floor(rand() * NAMES.length)] as string, at(), anonymous ? { anonymousId: visitor } : {}),
      );
      // Now and then a user signs in on a visitor's device: the visitor's history becomes theirs.
      if (!anonymous && rand() < 0.3) events.push(anEvent(VIEW, at(), { anonymousId: visitor }));
      await h.tracked(events, anonymous ? undefined : user);
    }
    expect(await summarizedUntil()).toEqual(new Date('2026-03-11T00:00:00.000Z'));
    const summarized = await allCounts();

    await h.pool.query('TRUNCATE timelines');
    await h.pool.query('UPDATE timeline_progress SET summarized_until = NULL');
    const raw = await allCounts();
    await h.ctx.store.rebuildRollups(new Date('2026-03-06T09:00:00.000Z'));
    expect(await summarizedUntil()).toEqual(new Date('2026-03-06T00:00:00.000Z'));
    const some = await allCounts();
    await h.rolledUp();

    expect(raw.flat().reduce((a, b) => a + b)).toBeGreaterThan(30);
    expect(summarized).toEqual(raw);
    expect(some).toEqual(raw);
    expect(await allCounts()).toEqual(raw);
  });

  it('When an event arrives for a day already summarized, then funnels count it', async () => {
    const user = await h.user();
    const step = 'Late Step';
    await h.tracked([anEvent(VIEW, '2026-03-05T10:00:00.000Z')], user);
    await h.tracked([anEvent(step, '2026-03-05T10:30:00.000Z')], user);

    expect(await counts({ steps: [VIEW, step], windowHours: 1, from: '2026-03-05', to: '2026-03-05' })).toEqual([
      expect.any(Number),
      1,
    ]);
  });

  it('When a visitor signs in after their days were summarized, then their steps and the user’s are one person', async () => {
    const user = await h.user();
    const visitor = `visitor-${randomUUID()}`;
    const [first, second] = ['Signed Step One', 'Signed Step Two'];
    await h.tracked([anEvent(first as string, '2026-03-04T10:00:00.000Z', { anonymousId: visitor })]);
    await h.tracked([anEvent(second as string, '2026-03-04T11:00:00.000Z')], user);
    const funnel = { steps: [first, second], windowHours: 24, from: '2026-03-04', to: '2026-03-04' };
    expect(await counts(funnel)).toEqual([1, 0]);

    await h.tracked([anEvent('Signed In', '2026-03-11T11:00:00.000Z', { anonymousId: visitor })], user);

    expect(await counts(funnel)).toEqual([1, 1]);
  });

  it('When days are summarized, then the metrics say so', async () => {
    const metrics = await request(h.app).get('/metrics');
    expect(metrics.text).toMatch(/analytics_timeline_summarized_total\{[^}]*\} [1-9]/);
    expect(metrics.text).toMatch(/analytics_timeline_lag_seconds\{[^}]*\} 0/);
  });
});

describe('funnel timelines and raw retention', () => {
  it('When weeks pass beyond retention, then their times leave the timelines with the raw events', async () => {
    const h = await startAnalytics({ at: '2026-03-11T12:00:00.000Z', settings: { rawRetentionDays: 14 } });
    try {
      const user = await h.user();
      await h.tracked(
        [
          anEvent('Kept Step', '2026-02-27T10:00:00.000Z'),
          anEvent('Kept Step', '2026-03-03T10:00:00.000Z'),
          anEvent('Kept Step', '2026-03-10T10:00:00.000Z'),
        ],
        user,
      );
      const times = async () =>
        (await h.pool.query<{ times: string[] }>(`SELECT times::text[] FROM timelines ORDER BY month`)).rows.flatMap(
          (r) => r.times.map((t) => new Date(t).toISOString()),
        );
      expect(await times()).toHaveLength(3);

      h.clock.set('2026-03-23T00:00:00.000Z');
      await h.maintenance.runOnce();

      // Raw events are kept from the week of 9 March on.
      expect(await times()).toEqual(['2026-03-10T10:00:00.000Z']);
    } finally {
      await h.close();
    }
  });
});

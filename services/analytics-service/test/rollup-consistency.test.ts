// The roll-ups kept up to date batch by batch must equal the roll-ups computed from scratch
// over the raw events. A seeded random history (signed-in users, anonymous visitors who later
// identify, late and repeated events, bus events) arrives in shuffled batches, several at once,
// and the roller takes them as they come; then its roll-ups are compared with a rebuild.
import { randomUUID } from 'node:crypto';
import type { TrackedEvent } from '@azora/contracts';
import type { Pool } from '@azora/service-kit';
import { startAnalytics, type Harness, type TestUser } from './support/harness';
import { seededRandom } from './support/random';

const START = Date.parse('2026-02-16T00:00:00.000Z');
const SPAN = Date.parse('2026-03-11T11:00:00.000Z') - START;
const NAMES = ['Page Viewed', 'Course Viewed', 'Enroll Clicked', 'Lesson Opened'];

async function snapshot(pool: Pool) {
  const rows = async (sql: string) => (await pool.query(sql)).rows;
  return {
    activeCounts: await rows(`SELECT period, bucket::text, users FROM active_counts WHERE users <> 0 ORDER BY 1, 2`),
    eventCounts: await rows(`SELECT name, hour, events FROM event_counts WHERE events <> 0 ORDER BY 1, 2`),
    retention: await rows(
      `SELECT cohort::text, week::text, users FROM retention_counts WHERE users <> 0 ORDER BY 1, 2`,
    ),
    activity: await rows(`SELECT person_id, period, bucket::text FROM active_persons ORDER BY 1, 2, 3`),
    people: await rows(`SELECT person_id, first_seen FROM persons WHERE merged_into IS NULL ORDER BY 1`),
    timelines: await rows(`SELECT name, month::text, person_id, times::text[] FROM timelines ORDER BY 1, 2, 3`),
    summarizedUntil: await rows(`SELECT summarized_until FROM timeline_progress`),
  };
}

describe('roll-ups kept incrementally', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAnalytics({ at: '2026-03-11T12:00:00.000Z' });
  });
  afterAll(() => h.close());

  it('When a shuffled history arrives in concurrent batches, then the roll-ups equal a rebuild from raw events', async () => {
    const rand = seededRandom(20260311);
    const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)] as T;
    const at = () => new Date(START + Math.floor(rand() * SPAN)).toISOString();
    const users: TestUser[] = await Promise.all(Array.from({ length: 10 }, () => h.user()));
    const visitors = Array.from({ length: 14 }, (_, i) => `visitor-${i}`);
    // Visitors 0..7 identify, each as one user only; the rest stay anonymous.
    const identifiesAs = new Map(visitors.slice(0, 8).map((v, i) => [v, users[i % users.length] as TestUser]));

    const batches: Array<{ as?: TestUser; events: TrackedEvent[] }> = [];
    // The first half of the history has no sign-ins on a visitor's device: people and visitors
    // build up activity of their own first, so later links merge histories that overlap.
    for (let b = 0; b < 70; b++) {
      const links = b >= 35;
      const size = 1 + Math.floor(rand() * 12);
      if (rand() < 0.45) {
        batches.push({
          events: Array.from({ length: size }, () => ({
            id: randomUUID(),
            name: pick(NAMES),
            timestamp: at(),
            anonymousId: pick(visitors),
          })),
        });
      } else {
        const user = pick(users);
        const own = [...identifiesAs].filter(([, u]) => u === user).map(([v]) => v);
        batches.push({
          as: user,
          events: Array.from({ length: size }, () => ({
            id: randomUUID(),
            name: pick(NAMES),
            timestamp: at(),
            ...(links && own.length > 0 && rand() < 0.3 ? { anonymousId: pick(own) } : {}),
          })),
        });
      }
    }
    // Each half arrives shuffled, some batches twice (as a client retrying would).
    const shuffled = (part: typeof batches) => [...part, ...part.filter(() => rand() < 0.2)].sort(() => rand() - 0.5);
    const sends = [...shuffled(batches.slice(0, 35)), ...shuffled(batches.slice(35))];
    for (let i = 0; i < sends.length; i += 4) {
      await Promise.all(sends.slice(i, i + 4).map(({ as, events }) => h.tracked(events, as)));
    }
    const bus = users
      .slice(0, 5)
      .map((user) =>
        h.busEvent('education.enrollment.created', { courseId: randomUUID(), userId: user.id }, { occurredAt: at() }),
      );
    expect((await h.deliver(bus)).status).toBe(200);
    await h.rolledUp();

    const incremental = await snapshot(h.pool);
    await h.ctx.store.rebuildRollups(h.clock.now());
    const rebuilt = await snapshot(h.pool);

    expect(incremental.activeCounts.length).toBeGreaterThan(20);
    expect(incremental.retention.length).toBeGreaterThanOrEqual(4);
    expect(incremental.timelines.length).toBeGreaterThan(50);
    expect(incremental).toEqual(rebuilt);
  });
});

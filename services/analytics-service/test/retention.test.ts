// Weekly retention: people grouped by the ISO week they were first seen, and how many of each
// cohort came back in each later week. A late event that shows someone was seen earlier moves
// them to the earlier cohort.
import { anEvent } from './support/events';
import { startAnalytics, type Harness, type TestUser } from './support/harness';

type Table = {
  from: string;
  to: string;
  cohorts: Array<{ start: string; size: number; retained: number[]; rates: number[] }>;
};

// Mondays of the weeks used here; the clock is the Wednesday of the last one.
const W = ['2026-02-16', '2026-02-23', '2026-03-02', '2026-03-09'];
const inWeek = (week: number, day = 2) =>
  new Date(Date.parse(`${W[week]}T10:00:00.000Z`) + day * 86_400_000).toISOString();

async function activeIn(h: Harness, user: TestUser, weeks: number[]): Promise<void> {
  await h.tracked(
    weeks.map((w) => anEvent('Lesson Opened', inWeek(w))),
    user,
  );
}

describe('weekly retention', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAnalytics({ at: '2026-03-11T12:00:00.000Z' });
    const [a, b, c, d, e, f, g] = await Promise.all(Array.from({ length: 7 }, () => h.user()));
    await activeIn(h, a!, [0, 1, 2, 3]);
    await activeIn(h, b!, [0, 2]);
    await activeIn(h, c!, [0]);
    await activeIn(h, d!, [0, 1]);
    await activeIn(h, e!, [1, 3]);
    await activeIn(h, f!, [1, 2]);
    await activeIn(h, g!, [3]);
    await activeIn(h, (await h.user())!, [2]);
  });
  afterAll(() => h.close());

  it('When the retention table is asked, then each cohort shows its size and who came back each week', async () => {
    const table = await h.report<Table>(`/retention?cohort=week&from=${W[0]}&to=${W[3]}`);

    expect(table.from).toBe('2026-02-16T00:00:00.000Z');
    expect(table.to).toBe('2026-03-16T00:00:00.000Z');
    expect(table.cohorts).toEqual([
      { start: '2026-02-16T00:00:00.000Z', size: 4, retained: [4, 2, 2, 1], rates: [1, 0.5, 0.5, 0.25] },
      { start: '2026-02-23T00:00:00.000Z', size: 2, retained: [2, 1, 1], rates: [1, 0.5, 0.5] },
      { start: '2026-03-02T00:00:00.000Z', size: 1, retained: [1, 0], rates: [1, 0] },
      { start: '2026-03-09T00:00:00.000Z', size: 1, retained: [1], rates: [1] },
    ]);
  });

  it('When a late event shows a person was seen weeks earlier, then they move to that cohort', async () => {
    const other = await startAnalytics({ at: '2026-03-11T12:00:00.000Z' });
    try {
      const early = await other.user();
      const mover = await other.user();
      await activeIn(other, early, [0]);
      await activeIn(other, mover, [2, 3]);

      await other.tracked([anEvent('Lesson Opened', inWeek(0, 4))], mover);

      const table = await other.report<Table>(`/retention?from=${W[0]}&to=${W[3]}`);
      expect(table.cohorts.map((c) => [c.size, ...c.retained.slice(1)])).toEqual([
        [2, 0, 1, 1],
        [0, 0, 0],
        [0, 0],
        [0],
      ]);
    } finally {
      await other.close();
    }
  });

  it('When no range is given, then the last 8 weeks through this one are shown', async () => {
    const table = await h.report<Table>('/retention');

    expect(table.cohorts).toHaveLength(8);
    expect(table.cohorts[7]?.start).toBe('2026-03-09T00:00:00.000Z');
  });
});

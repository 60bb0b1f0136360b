// Event counts per UTC hour or day, of one name or of all, with empty buckets shown as zeros.
import request from 'supertest';
import { anEvent } from './support/events';
import { startAnalytics, type Harness } from './support/harness';

type Counts = {
  name: string | null;
  total: number;
  from: string;
  to: string;
  series: Array<{ start: string; count: number }>;
};

describe('event counts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAnalytics({ at: '2026-03-11T12:00:00.000Z' });
    const user = await h.user();
    await h.tracked(
      [
        anEvent('Quiz Passed', '2026-03-10T08:00:00.000Z'),
        anEvent('Quiz Passed', '2026-03-10T08:59:59.999Z'),
        anEvent('Quiz Passed', '2026-03-10T10:15:00.000Z'),
        anEvent('Quiz Failed', '2026-03-10T08:30:00.000Z'),
        anEvent('Quiz Passed', '2026-03-11T00:10:00+01:00'),
      ],
      user,
    );
  });
  afterAll(() => h.close());

  it('When hourly counts of one name are asked, then each UTC hour counts its events', async () => {
    const counts = await h.report<Counts>(
      '/events/counts?name=Quiz%20Passed&interval=hour&from=2026-03-10T07:00:00Z&to=2026-03-10T10:00:00Z',
    );

    expect(counts).toEqual({
      name: 'Quiz Passed',
      interval: 'hour',
      from: '2026-03-10T07:00:00.000Z',
      to: '2026-03-10T11:00:00.000Z',
      total: 3,
      series: [
        { start: '2026-03-10T07:00:00.000Z', count: 0 },
        { start: '2026-03-10T08:00:00.000Z', count: 2 },
        { start: '2026-03-10T09:00:00.000Z', count: 0 },
        { start: '2026-03-10T10:00:00.000Z', count: 1 },
      ],
    });
  });

  it('When daily counts of every name are asked, then each UTC day counts all its events', async () => {
    const counts = await h.report<Counts>('/events/counts?interval=day&from=2026-03-10&to=2026-03-11');

    expect(counts.name).toBeNull();
    expect(counts.series).toEqual([
      { start: '2026-03-10T00:00:00.000Z', count: 5 },
      { start: '2026-03-11T00:00:00.000Z', count: 0 },
    ]);
  });

  it('When the range asks for more buckets than a report holds, then 400 analytics.invalid_range', async () => {
    const res = await request(h.app)
      .get('/events/counts?interval=hour&from=2025-01-01&to=2026-03-11')
      .set((await h.admin()).auth);

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'analytics.invalid_range', issues: [{ path: 'query.from' }] });
  });

  it('When the query is malformed, then the 400 names each field', async () => {
    const res = await request(h.app)
      .get('/events/counts?interval=minute&from=last%20week&name=%20bad')
      .set((await h.admin()).auth);

    expect(res.status).toBe(400);
    expect((res.body.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual([
      'query.from',
      'query.interval',
      'query.name',
    ]);
  });
});

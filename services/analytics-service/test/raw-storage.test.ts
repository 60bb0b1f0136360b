// Raw events live in weekly partitions: the maintenance run creates this week's and the next
// ones ahead, a late event's week is created on demand, and weeks older than the retention
// setting are dropped whole while the roll-ups keep answering. The export streams raw events
// as NDJSON, page by page.
import request from 'supertest';
import { ExportedEvent } from '@azora/contracts';
import { anEvent } from './support/events';
import { startAnalytics, type Harness } from './support/harness';

const weeks = (dates: Date[]) => dates.map((d) => d.toISOString().slice(0, 10));

describe('raw storage', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAnalytics({
      at: '2026-03-11T12:00:00.000Z',
      settings: { rawRetentionDays: 21, maxEventAgeDays: 30, partitionsAheadWeeks: 2 },
      exportPageSize: 3,
    });
  });
  afterAll(() => h.close());

  it('When maintenance runs, then this week and the next ones have partitions before any event', async () => {
    const run = await h.maintenance.runOnce();

    expect(weeks(run.ensured)).toEqual(['2026-03-09', '2026-03-16', '2026-03-23']);
    expect(weeks(await h.ctx.store.partitions())).toEqual(expect.arrayContaining(weeks(run.ensured)));
  });

  it('When an event arrives for a week without a partition, then the week is created for it', async () => {
    const user = await h.user();

    await h.tracked([anEvent('Late Arrival', '2026-02-25T10:00:00.000Z')], user);

    expect(weeks(await h.ctx.store.partitions())).toContain('2026-02-23');
  });

  it('When weeks pass beyond retention, then their raw events are dropped and the roll-ups still answer', async () => {
    const other = await startAnalytics({ at: '2026-03-11T12:00:00.000Z', settings: { rawRetentionDays: 14 } });
    try {
      const user = await other.user();
      await other.tracked(
        [anEvent('Old Visit', '2026-03-02T10:00:00.000Z'), anEvent('New Visit', '2026-03-10T10:00:00.000Z')],
        user,
      );

      other.clock.set('2026-03-23T00:00:00.000Z');
      const run = await other.maintenance.runOnce();

      expect(weeks(run.dropped)).toEqual(['2026-03-02']);
      const { rows } = await other.pool.query<{ name: string }>('SELECT name FROM events ORDER BY ts');
      expect(rows.map((r) => r.name)).toEqual(['New Visit']);
      const dau = await other.report<{ series: Array<{ users: number }> }>(
        '/active-users?from=2026-03-02&to=2026-03-02',
      );
      expect(dau.series).toEqual([{ start: '2026-03-02T00:00:00.000Z', users: 1 }]);
      const metrics = await request(other.app).get('/metrics');
      expect(metrics.text).toMatch(/analytics_raw_partitions_dropped_total\{[^}]*\} 1/);
    } finally {
      await other.close();
    }
  });

  it('When raw events are exported, then every event of the range streams as one JSON line, oldest first', async () => {
    const user = await h.user();
    const sent = Array.from({ length: 8 }, (_, i) =>
      anEvent('Exported', `2026-03-10T0${i}:00:00.000Z`, {
        properties: { i },
        anonymousId: i === 0 ? 'v-x' : undefined,
      }),
    );
    await h.tracked(sent, user);
    await h.tracked([anEvent('Exported', '2026-03-11T01:00:00.000Z')], user);

    const res = await request(h.app)
      .get('/events/export?from=2026-03-10&to=2026-03-10&name=Exported')
      .set((await h.admin()).auth);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="events-.*\.ndjson"/);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const lines = res.text
      .trimEnd()
      .split('\n')
      .map((line) => ExportedEvent.parse(JSON.parse(line)));
    expect(lines.map((l) => l.id)).toEqual(sent.map((e) => e.id));
    expect(lines[0]).toMatchObject({
      name: 'Exported',
      timestamp: '2026-03-10T00:00:00.000Z',
      source: 'client',
      userId: user.id,
      anonymousId: 'v-x',
      personId: user.id,
      properties: { i: 0 },
      receivedAt: '2026-03-11T12:00:00.000Z',
    });
  });

  it('When an export has nothing in range, then it answers 200 with an empty body', async () => {
    const res = await request(h.app)
      .get('/events/export?from=2026-03-01T00:00:00Z&to=2026-03-01T01:00:00Z')
      .set((await h.admin()).auth);

    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('When an export range is missing or reversed, then 400 names it and nothing streams', async () => {
    const admin = await h.admin();

    const missing = await request(h.app).get('/events/export?from=2026-03-10').set(admin.auth);
    const reversed = await request(h.app).get('/events/export?from=2026-03-10&to=2026-03-01').set(admin.auth);

    expect(missing.status).toBe(400);
    expect(missing.body.issues).toEqual([expect.objectContaining({ path: 'query.to' })]);
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('analytics.invalid_range');
  });
});

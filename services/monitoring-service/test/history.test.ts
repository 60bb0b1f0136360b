// Uptime history: hourly buckets for the strips (the worst status of each hour, the share of
// ready checks), gaps as empty hours, and pruning of what is older than the retention.
import request from 'supertest';
import type { UptimeReport } from '@azora/contracts';
import { startMonitoring, type Harness } from './support/harness';

const HOUR = 3_600_000;

describe('uptime history', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startMonitoring({ at: '2026-03-02T09:10:00.000Z', stepMs: 20 * 60_000 });
  });
  afterEach(() => h.close());

  const strip = (report: UptimeReport, name: string) => report.services.find((s) => s.name === name)?.buckets ?? [];

  it('When hours have checks, then each bucket has its uptime and its worst status', async () => {
    await h.round(); // 09:10 healthy
    h.fakes.get('azora-mint').set({ ready: false });
    await h.round(); // 09:30 failed once: degraded
    h.fakes.get('azora-mint').set({ ready: true });
    await h.rounds(2); // 09:50 and 10:10 still degraded: the failure is within the last four checks
    h.clock.advance(2 * HOUR); // nothing checked 10:30 - 12:10
    await h.round(); // 12:30 healthy: the checks before the pause are out of the window

    const res = await request(h.app).get('/uptime?hours=4');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2026-03-02T09:00:00.000Z',
      to: '2026-03-02T13:00:00.000Z',
      bucketSeconds: 3600,
    });
    expect(strip(res.body, 'azora-mint')).toEqual([
      { from: '2026-03-02T09:00:00.000Z', checks: 3, uptimePercent: 66.67, status: 'degraded' },
      { from: '2026-03-02T10:00:00.000Z', checks: 1, uptimePercent: 100, status: 'degraded' },
      { from: '2026-03-02T11:00:00.000Z', checks: 0, uptimePercent: null, status: null },
      { from: '2026-03-02T12:00:00.000Z', checks: 1, uptimePercent: 100, status: 'healthy' },
    ]);
    expect(res.body.services.find((s: { name: string }) => s.name === 'azora-mint').uptimePercent).toBe(80);
  });

  it('When no hours are asked for, then the strip covers 24 hours', async () => {
    await h.round();

    const res = await request(h.app).get('/uptime');

    expect(strip(res.body, 'azora-education')).toHaveLength(24);
    expect(strip(res.body, 'azora-education').at(-1)).toMatchObject({ status: 'healthy', checks: 1 });
  });

  it('When hours is out of range, then it is a 400 naming it', async () => {
    const res = await request(h.app).get('/uptime?hours=100000');

    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('query.hours');
  });

  it('When history is older than the retention, then pruning deletes it and keeps the rest', async () => {
    await h.round();
    h.fakes.get('azora-forge').set({ ready: false });
    await h.rounds(2);
    h.fakes.get('azora-forge').set({ ready: true });
    await h.round();
    h.clock.advance(31 * 24 * HOUR);
    await h.round();

    await h.prune();

    const counts = await h.pool.query<{ probes: number; hours: number; incidents: number }>(
      `SELECT (SELECT count(*)::int FROM probes) AS probes, (SELECT count(*)::int FROM uptime_hours) AS hours,
              (SELECT count(*)::int FROM incidents) AS incidents`,
    );
    expect(counts.rows[0]).toEqual({ probes: 10, hours: 10, incidents: 0 });
  });
});

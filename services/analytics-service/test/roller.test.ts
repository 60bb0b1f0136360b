// The roller as a running service has it: started, it brings stored batches into the roll-ups
// and the days that are over into the funnel timelines on its own, and says in its metrics that
// nothing is left behind.
import request from 'supertest';
import { waitFor } from '@azora/testing';
import { anEvent } from './support/events';
import { startAnalytics, type Harness } from './support/harness';

describe('the roller', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAnalytics({ at: '2026-03-11T12:00:00.000Z' });
  });
  afterAll(() => h.close());

  it('When a batch is stored while the roller runs, then it reaches the reports without anyone asking', async () => {
    const user = await h.user();
    const admin = await h.admin();
    h.ctx.rollups.start(20);
    try {
      const res = await h.track([anEvent('Rolled On Its Own', '2026-03-11T11:00:00.000Z')], user);
      expect(res.status).toBe(202);

      const counts = await waitFor(
        async () => {
          const read = await request(h.app)
            .get('/events/counts?name=Rolled%20On%20Its%20Own&from=2026-03-11&to=2026-03-11')
            .set(admin.auth);
          if (read.body.total !== 1) throw new Error(`total ${read.body.total}`);
          return read.body;
        },
        { what: 'the roll-ups to count the event' },
      );
      expect(counts.total).toBe(1);
    } finally {
      await h.ctx.rollups.stop();
    }
    const metrics = await request(h.app).get('/metrics');
    expect(metrics.text).toMatch(/analytics_rollup_pending_batches\{[^}]*\} 0/);
    expect(metrics.text).toMatch(/analytics_rollup_delay_seconds_count\{[^}]*\} [1-9]/);
  });

  it('When a day is over while the roller runs, then it is summarized into the funnel timelines on its own', async () => {
    const user = await h.user();
    h.ctx.rollups.start(20);
    try {
      expect((await h.track([anEvent('Summarized On Its Own', '2026-03-11T11:30:00.000Z')], user)).status).toBe(202);
      await h.rolledUp();
      h.clock.set('2026-03-12T00:30:00.000Z');
      const row = await waitFor(
        async () => {
          const { rows } = await h.pool.query<{ times: string[] }>(
            `SELECT times::text[] FROM timelines WHERE name = 'Summarized On Its Own'`,
          );
          if (rows.length === 0) throw new Error('not summarized yet');
          return rows[0];
        },
        { what: 'the day to be summarized' },
      );
      expect(row?.times.map((t) => new Date(t).toISOString())).toEqual(['2026-03-11T11:30:00.000Z']);
    } finally {
      await h.ctx.rollups.stop();
    }
    const metrics = await request(h.app).get('/metrics');
    expect(metrics.text).toMatch(/analytics_timeline_lag_seconds\{[^}]*\} 0/);
  });
});

// The roller as a running service has it: started, it brings stored batches into the roll-ups
// on its own and says in its metrics that nothing is left behind.
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
});

// Incidents: a service found down opens one, starting at its first failed check; coming back
// resolves it with its duration; one open incident per service; listed newest first by page.
import request from 'supertest';
import type { Incident } from '@azora/contracts';
import { SLOW_MS, startMonitoring, type Harness } from './support/harness';

describe('incidents', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startMonitoring();
  });
  afterEach(() => h.close());

  it('When a service goes down and comes back, then one incident records its start, end and cause', async () => {
    await h.round(); // 09:00:00 healthy
    await h.fakes.get('azora-mint').stop();
    await h.rounds(3); // 09:00:10 failed (degraded), 09:00:20 down, 09:00:30 still down
    await h.fakes.get('azora-mint').start();
    await h.round(); // 09:00:40 back

    const res = await request(h.app).get('/incidents');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          id: expect.any(String),
          service: 'azora-mint',
          state: 'resolved',
          startedAt: '2026-03-02T09:00:10.000Z',
          endedAt: '2026-03-02T09:00:40.000Z',
          durationSeconds: 30,
          cause: 'connection refused',
        },
      ],
      nextCursor: null,
    });
  });

  it('When a service stays down, then its one incident stays open', async () => {
    h.fakes.get('azora-pay').set({ ready: false, failing: ['database'] });

    await h.rounds(4);
    const res = await request(h.app).get('/incidents?state=open');

    expect(res.body.items).toEqual([
      expect.objectContaining({
        service: 'azora-pay',
        state: 'open',
        endedAt: null,
        durationSeconds: null,
        cause: 'not ready: database',
      }),
    ]);
    expect(h.deps.metrics.registry.getSingleMetric('monitoring_incidents_opened_total')).toBeDefined();
    expect(
      await request(h.app)
        .get('/metrics')
        .then((r) => r.text),
    ).toMatch(/^monitoring_incidents_opened_total\{service="azora-pay"\} 1$/m);
  });

  it('When a service is degraded but never down, then no incident is opened', async () => {
    h.fakes.get('azora-forge').set({ delayMs: SLOW_MS });

    await h.rounds(2);
    const res = await request(h.app).get('/incidents');

    expect(res.body.items).toEqual([]);
  });

  it('When incidents are many, then pages follow newest first and filters apply', async () => {
    for (const name of ['azora-mint', 'azora-forge', 'azora-pay']) {
      h.fakes.get(name).set({ ready: false });
      await h.rounds(2);
      h.fakes.get(name).set({ ready: true });
      await h.round();
    }

    const first = await request(h.app).get('/incidents?limit=2');
    const second = await request(h.app).get(`/incidents?limit=2&cursor=${first.body.nextCursor}`);
    const forge = await request(h.app).get('/incidents?service=azora-forge&state=resolved');

    expect(first.body.items.map((i: Incident) => i.service)).toEqual(['azora-pay', 'azora-forge']);
    expect(second.body.items.map((i: Incident) => i.service)).toEqual(['azora-mint']);
    expect(second.body.nextCursor).toBeNull();
    expect(forge.body.items.map((i: Incident) => i.service)).toEqual(['azora-forge']);
  });

  it('When the query is hostile, then it is a 400 naming the field and nothing else', async () => {
    const unknown = await request(h.app).get('/incidents?service=not-a-service&state=maybe&limit=0');
    const cursor = await request(h.app).get('/incidents?cursor=bm90LWEtY3Vyc29y');

    expect(unknown.status).toBe(400);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'query.limit',
      'query.service',
      'query.state',
    ]);
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('request.invalid_cursor');
  });
});

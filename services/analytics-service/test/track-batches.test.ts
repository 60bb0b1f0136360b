// POST /track: a batch is accepted or refused whole. A refusal lists every bad event by index
// with its reason and stores nothing; a resent event (same id and timestamp) is stored once.
import request from 'supertest';
import { anEvent } from './support/events';
import { startAnalytics, type Harness } from './support/harness';

const NOW = '2026-03-11T12:00:00.000Z';

describe('tracking batches', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAnalytics({ at: NOW, settings: { maxEventAgeDays: 30, maxClockSkewSeconds: 600 } });
  });
  afterAll(() => h.close());

  const rawCount = async (name: string) =>
    (await h.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE name = $1', [name])).rows[0]?.n;
  const issuesOf = (res: request.Response) =>
    (res.body.issues as Array<{ path: string; message: string }>).map((i) => i.path).sort();

  it('When a signed-in user tracks a batch, then 202 says every event was stored, and they are stored for that user', async () => {
    const user = await h.user();
    const events = [anEvent('Batch Stored', '2026-03-11T11:00:00.000Z'), anEvent('Batch Stored', NOW)];

    const res = await h.track(events, user);

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ received: 2, stored: 2, duplicates: 0 });
    const { rows } = await h.pool.query(
      `SELECT id, user_id, person_id, source FROM events WHERE name = 'Batch Stored' ORDER BY ts`,
    );
    expect(rows).toEqual(events.map((e) => ({ id: e.id, user_id: user.id, person_id: user.id, source: 'client' })));
  });

  it('When several events are bad, then the 400 names each by index and reason, and nothing of the batch is stored', async () => {
    const user = await h.user();
    const ok = (i: number) => anEvent('Half Stored', `2026-03-11T10:0${i}:00.000Z`);

    const res = await h.track(
      [
        ok(0),
        anEvent('9 starts with a digit', NOW),
        anEvent('Half Stored', NOW, { properties: { nested: { not: 'flat' } } as never }),
        anEvent('Half Stored', '2026-01-01T00:00:00.000Z'),
        anEvent('Half Stored', '2026-03-11T12:30:00.000Z'),
        anEvent('education.course.completed', NOW),
        { ...anEvent('Half Stored', NOW), userId: user.id } as never,
        anEvent('Half Stored', 'yesterday'),
        ok(1),
      ],
      user,
    );

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('request.validation_failed');
    expect(issuesOf(res)).toEqual([
      'body.events.1.name',
      'body.events.2.properties.nested',
      'body.events.3.timestamp',
      'body.events.4.timestamp',
      'body.events.5.name',
      'body.events.6',
      'body.events.7.timestamp',
    ]);
    const messages = Object.fromEntries(
      (res.body.issues as Array<{ path: string; message: string }>).map((i) => [i.path, i.message]),
    );
    expect(messages['body.events.3.timestamp']).toMatch(/older than 30 days/);
    expect(messages['body.events.4.timestamp']).toMatch(/ahead of the service's clock/);
    expect(messages['body.events.5.name']).toMatch(/reserved/);
    expect(messages['body.events.6']).toMatch(/userId/);
    expect(await rawCount('Half Stored')).toBe(0);
  });

  it('When properties are too many, too long or too large, then each is named', async () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i]));
    const big = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));

    const res = await h.track([
      anEvent('Props', NOW, { anonymousId: 'v', properties: many }),
      anEvent('Props', NOW, { anonymousId: 'v', properties: { long: 'y'.repeat(1025) } }),
      anEvent('Props', NOW, { anonymousId: 'v', properties: big }),
      anEvent('Props', NOW, { anonymousId: 'v', properties: { ['k'.repeat(65)]: 1 } }),
    ]);

    expect(res.status).toBe(400);
    expect(issuesOf(res)).toEqual([
      'body.events.0.properties',
      'body.events.1.properties.long',
      'body.events.2.properties',
      `body.events.3.properties.${'k'.repeat(65)}`,
    ]);
  });

  it('When a batch is empty or holds more than 1,000 events, then it is refused', async () => {
    const tooMany = Array.from({ length: 1001 }, () => anEvent('Too Many', NOW, { anonymousId: 'v' }));

    const empty = await h.track([]);
    const over = await h.track(tooMany);

    expect([empty.status, over.status]).toEqual([400, 400]);
    expect(issuesOf(empty)).toEqual(['body.events']);
    expect(issuesOf(over)).toEqual(['body.events']);
    expect(await rawCount('Too Many')).toBe(0);
  });

  it('When 1,000 events with properties arrive in one batch, then the body is accepted and all are stored', async () => {
    const properties = { path: '/courses/'.padEnd(200, 'x'), plan: 'free', step: 3, beta: true, ref: null };
    const events = Array.from({ length: 1000 }, (_, i) =>
      anEvent('Full Batch', new Date(Date.parse(NOW) - i * 1000).toISOString(), {
        anonymousId: `v-${i % 7}`,
        properties,
      }),
    );

    const res = await h.track(events);

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ received: 1000, stored: 1000, duplicates: 0 });
  });

  it('When a body is larger than any valid batch, then 413 and nothing is stored', async () => {
    const huge = 'z'.repeat(6 * 1024 * 1024);

    const res = await request(h.app)
      .post('/track')
      .set('content-type', 'application/json')
      .send(`{"events":[{"name":"Huge","timestamp":"${NOW}","anonymousId":"${huge}"}]}`);

    expect(res.status).toBe(413);
    expect(await rawCount('Huge')).toBe(0);
  });

  it('When nobody is signed in and an event has no anonymousId, then the 400 names it', async () => {
    const res = await h.track([
      anEvent('Anonymous', NOW, { anonymousId: 'visitor-9' }),
      anEvent('Anonymous', NOW),
      anEvent('Anonymous', NOW),
    ]);

    expect(res.status).toBe(400);
    expect(issuesOf(res)).toEqual(['body.events.1.anonymousId', 'body.events.2.anonymousId']);
    expect(await rawCount('Anonymous')).toBe(0);
  });

  it('When a batch is sent again, and when it repeats an event inside, then each event is stored once', async () => {
    const user = await h.user();
    const first = anEvent('Resent', '2026-03-11T09:00:00.000Z');
    const second = anEvent('Resent', '2026-03-11T09:01:00.000Z');

    const once = await h.track([first, second, first], user);
    const again = await h.track([second, first], user);

    expect(once.body).toEqual({ received: 3, stored: 2, duplicates: 1 });
    expect(again.body).toEqual({ received: 2, stored: 0, duplicates: 2 });
    expect(await rawCount('Resent')).toBe(2);
    const counts = await h.report<{ total: number }>('/events/counts?name=Resent&interval=hour&from=2026-03-11');
    expect(counts.total).toBe(2);
  });

  it('When the same batch is sent by several clients at once, then each event is stored once', async () => {
    const user = await h.user();
    const events = Array.from({ length: 50 }, (_, i) =>
      anEvent('Raced', `2026-03-11T08:${String(i).padStart(2, '0')}:00.000Z`),
    );

    const results = await Promise.all(Array.from({ length: 4 }, () => h.track(events, user)));

    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(results.reduce((sum, r) => sum + (r.body.stored as number), 0)).toBe(50);
    expect(await rawCount('Raced')).toBe(50);
    const counts = await h.report<{ total: number }>('/events/counts?name=Raced&interval=day&from=2026-03-11');
    expect(counts.total).toBe(50);
  });

  it('When events are sent without ids, then each send is a new event', async () => {
    const event = { name: 'No Id', timestamp: NOW, anonymousId: 'v-1' };

    await h.tracked([event, event]);

    expect(await rawCount('No Id')).toBe(2);
  });

  it('When an event holds a NUL character, then the 400 names it and nothing is stored', async () => {
    const res = await h.track([anEvent('Nul', NOW, { anonymousId: 'v', properties: { q: 'a\u0000b' } })]);

    expect(res.status).toBe(400);
    expect(issuesOf(res)).toEqual(['body.events.0.properties.q']);
    expect(await rawCount('Nul')).toBe(0);
  });

  it('When batches are refused, then the metrics count them by reason', async () => {
    const before = await rejected();

    await h.track([anEvent('bad name!', NOW, { anonymousId: 'v' })]);
    await request(h.app)
      .post('/track')
      .set('content-type', 'application/json')
      .send(`{"events":[],"padding":"${'p'.repeat(6 * 1024 * 1024)}"}`);

    expect(await rejected()).toEqual({ invalid: before.invalid + 1, too_large: before.too_large + 1 });
  });

  async function rejected(): Promise<{ invalid: number; too_large: number }> {
    const { text } = await request(h.app).get('/metrics');
    const value = (reason: string) =>
      Number(new RegExp(`analytics_batches_rejected_total\\{[^}]*reason="${reason}"[^}]*\\} (\\d+)`).exec(text)?.[1]);
    return { invalid: value('invalid'), too_large: value('too_large') };
  }
});

import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import express from 'express';
import type { EventEnvelope } from '@azora/contracts';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@azora/test-database';
import { createNexusClient } from '../src/bus/nexus-client';
import { createOutboxSignal } from '../src/bus/outbox-signal';
import { createPublisher } from '../src/bus/publish';
import { createOutboxRelay, type OutboxRelay } from '../src/bus/relay';
import { systemClock } from '../src/clock';
import { createPool, withTransaction, type Pool } from '../src/db/pool';
import { createLogger } from '../src/logger';

/** A stand-in Nexus that records what it is sent; it can be stopped and started on one port. */
function fakeNexus(port: number) {
  const received: EventEnvelope[] = [];
  const app = express();
  app.use(express.json({ limit: '10mb' }));
  app.post('/events', (req, res) => {
    const events = (req.body as { events: EventEnvelope[] }).events;
    received.push(...events);
    res.json({
      accepted: events.length,
      duplicates: 0,
      events: events.map((e, i) => ({ id: e.id, seq: received.length - events.length + i + 1 })),
    });
  });
  let server: http.Server | undefined;
  return {
    received,
    url: `http://127.0.0.1:${port}`,
    start: () => new Promise<void>((resolve) => (server = app.listen(port, '127.0.0.1', () => resolve()))),
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

const credentials = { service: 'azora-education', token: async () => 'test-token' };
const logger = createLogger({ service: 'azora-education', level: 'silent' });
const signal = createOutboxSignal();
const publish = createPublisher({ clock: systemClock, signal });
const lesson = () => ({
  courseId: randomUUID(),
  lessonId: randomUUID(),
  userId: randomUUID(),
  authorIds: [randomUUID()],
  rewardEligible: true,
});

describe('the outbox relay', () => {
  let db: TestDatabase;
  let pool: Pool;
  const relays: OutboxRelay[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    pool = createPool({ connectionString: db.urlFor('education'), schema: 'education', max: 8 });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await pool.end();
    await db.drop();
  });

  function relayTo(
    url: string,
    overrides: {
      pollIntervalMs?: number;
      batchSize?: number;
      minBackoffMs?: number;
      maxBackoffMs?: number;
      wakeFloorMs?: number;
      defaults?: boolean;
    } = {},
  ) {
    const relay = createOutboxRelay({
      pool,
      schema: 'education',
      source: 'azora-education',
      nexus: createNexusClient({ baseUrl: url, credentials }),
      logger,
      signal,
      ...(overrides.defaults
        ? {}
        : {
            minBackoffMs: overrides.minBackoffMs ?? 20,
            maxBackoffMs: overrides.maxBackoffMs ?? 100,
            pollIntervalMs: overrides.pollIntervalMs ?? 60_000,
          }),
      ...(overrides.wakeFloorMs === undefined ? {} : { wakeFloorMs: overrides.wakeFloorMs }),
      ...(overrides.batchSize ? { batchSize: overrides.batchSize } : {}),
    });
    relays.push(relay);
    return relay;
  }

  async function publishMany(count: number): Promise<string[]> {
    return withTransaction(pool, async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(await publish(tx, 'education.lesson.completed', lesson()));
      return ids;
    });
  }

  it('When events are committed, then the relay wakes at once (no poll) and sends them in order, marking them sent', async () => {
    const nexus = fakeNexus(await freePort());
    await nexus.start();
    try {
      relayTo(nexus.url).start();
      const ids = await publishMany(5);
      await waitFor(() => expect(nexus.received.map((e) => e.id)).toEqual(ids), { what: 'the events at Nexus' });
      expect(nexus.received[0]).toMatchObject({ type: 'education.lesson.completed', source: 'azora-education' });
      await waitFor(async () => {
        const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL');
        expect(rows[0]?.n).toBe(0);
      });
    } finally {
      await nexus.stop();
    }
  });

  it('When an event is relayed, then its envelope carries exactly what was published: subject and requestId only when set', async () => {
    // Arrange
    const nexus = fakeNexus(await freePort());
    await nexus.start();
    const at = new Date('2026-03-04T05:06:07.089Z');
    const publishAt = createPublisher({ clock: { now: () => at }, signal });
    const data = {
      courseId: randomUUID(),
      lessonId: randomUUID(),
      userId: randomUUID(),
      authorIds: [randomUUID()],
      rewardEligible: true,
    };
    try {
      relayTo(nexus.url).start();

      // Act
      const [withMeta, bare] = await withTransaction(pool, async (tx) => [
        await publishAt(tx, 'education.lesson.completed', data, { subject: data.userId, requestId: 'req-42' }),
        await publishAt(tx, 'education.lesson.completed', data),
      ]);

      // Assert
      await waitFor(() => expect(nexus.received).toHaveLength(2), { what: 'both events at Nexus' });
      expect(nexus.received[0]).toEqual({
        id: withMeta,
        type: 'education.lesson.completed',
        source: 'azora-education',
        occurredAt: '2026-03-04T05:06:07.089Z',
        subject: data.userId,
        requestId: 'req-42',
        data,
      });
      expect(nexus.received[1]).toEqual({
        id: bare,
        type: 'education.lesson.completed',
        source: 'azora-education',
        occurredAt: '2026-03-04T05:06:07.089Z',
        data,
      });
    } finally {
      await nexus.stop();
    }
  });

  it('When Nexus is down while a service publishes, then the events arrive once it is back', async () => {
    const nexus = fakeNexus(await freePort());
    relayTo(nexus.url).start();
    const ids = await publishMany(3);
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ attempts: number; last_error: string | null }>(
          'SELECT attempts, last_error FROM outbox WHERE id = $1',
          [ids[0]],
        );
        expect(rows[0]?.attempts).toBeGreaterThan(0);
        expect(rows[0]?.last_error).toMatch(/unreachable/);
      },
      { what: 'a failed attempt to be recorded' },
    );
    await nexus.start();
    try {
      await waitFor(() => expect(nexus.received.map((e) => e.id)).toEqual(ids), {
        what: 'delivery after Nexus came back',
      });
    } finally {
      await nexus.stop();
    }
  });

  it('When Nexus comes back during a long back-off, then the next commit sends everything at once', async () => {
    // Arrange: one failure puts the relay into a back-off of 30 to 60 s.
    const nexus = fakeNexus(await freePort());
    relayTo(nexus.url, { minBackoffMs: 60_000, maxBackoffMs: 60_000, wakeFloorMs: 20 }).start();
    const first = await publishMany(1);
    await waitFor(
      async () =>
        expect(
          (await pool.query<{ attempts: number }>('SELECT attempts FROM outbox WHERE id = $1', [first[0]])).rows[0]
            ?.attempts,
        ).toBe(1),
      { what: 'the first failed attempt' },
    );
    await nexus.start();
    try {
      // Act
      const second = await publishMany(1);

      // Assert: well before the back-off would have ended.
      await waitFor(() => expect(nexus.received.map((e) => e.id)).toEqual([...first, ...second]), {
        timeoutMs: 10_000,
        what: 'the commit to wake the relay out of its back-off',
      });
    } finally {
      await nexus.stop();
    }
  });

  it('When Nexus has been down for a while, then with the default settings sending resumes within about a second of its return', async () => {
    // Arrange: six seconds of failures, enough for an unbounded exponential back-off to pass 3 s.
    const port = await freePort();
    const nexus = fakeNexus(port);
    relayTo(nexus.url, { defaults: true }).start();
    const ids = await publishMany(2);
    await new Promise((resolve) => setTimeout(resolve, 6_000));

    // Act: Nexus returns and nothing is committed to wake the relay.
    await nexus.start();
    try {
      // Assert
      await waitFor(() => expect(nexus.received.map((e) => e.id)).toEqual(ids), {
        timeoutMs: 2_500,
        what: 'the relay to retry within its one-second cap',
      });
    } finally {
      await nexus.stop();
    }
  });

  it('When Nexus is down, then a burst of commits wakes the relay no sooner than its back-off floor', async () => {
    const nexus = fakeNexus(await freePort());
    relayTo(nexus.url, { minBackoffMs: 60_000, maxBackoffMs: 60_000, wakeFloorMs: 60_000 }).start();
    const [first] = await publishMany(1);
    const attempts = async () =>
      (await pool.query<{ attempts: number }>('SELECT attempts FROM outbox WHERE id = $1', [first])).rows[0]
        ?.attempts ?? 0;
    await waitFor(async () => expect(await attempts()).toBe(1), { what: 'the first failed attempt' });
    for (let i = 0; i < 20; i++) await publishMany(1); // each commit signals the relay
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await attempts()).toBe(1); // still inside its floor: the commits did not hammer Nexus
  });

  it('When two relays of one service run at once, then every row is sent exactly once', async () => {
    const nexus = fakeNexus(await freePort());
    await nexus.start();
    try {
      const ids = await publishMany(600);
      relayTo(nexus.url, { batchSize: 50 }).start();
      relayTo(nexus.url, { batchSize: 50 }).start();
      await waitFor(() => expect(nexus.received.length).toBeGreaterThanOrEqual(600), { what: 'all 600 events' });
      await Promise.all(relays.splice(0).map((r) => r.stop()));
      expect(nexus.received).toHaveLength(600);
      expect(new Set(nexus.received.map((e) => e.id))).toEqual(new Set(ids));
    } finally {
      await nexus.stop();
    }
  });

  it('When the connection holding a published batch is cut, then its events are sent again and nothing is lost', async () => {
    // Arrange: the first time Nexus is sent something, the relay's connection (holding the
    // batch's rows) is cut before the relay can mark them sent.
    const received: string[] = [];
    let cut = false;
    const app = express();
    app.use(express.json({ limit: '10mb' }));
    app.post('/events', async (req, res) => {
      const events = (req.body as { events: EventEnvelope[] }).events;
      received.push(...events.map((e) => e.id));
      if (!cut) {
        cut = true;
        await pool.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%FOR UPDATE SKIP LOCKED%'`,
        );
      }
      res.json({ accepted: events.length, duplicates: 0, events: events.map((e, i) => ({ id: e.id, seq: i + 1 })) });
    });
    const port = await freePort();
    const server = await new Promise<http.Server>((resolve) => {
      const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
    });
    try {
      // Act
      relayTo(`http://127.0.0.1:${port}`).start();
      const ids = await publishMany(3);

      // Assert: sent twice (at least once is the promise), then marked, after a back-off, not the 60 s poll.
      await waitFor(
        async () => {
          const { rows } = await pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL',
          );
          expect(rows[0]?.n).toBe(0);
        },
        { what: 'every row marked sent' },
      );
      expect(received).toEqual([...ids, ...ids]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('When flush() resolves, then every batch it sent is already marked sent', async () => {
    const nexus = fakeNexus(await freePort());
    await nexus.start();
    try {
      await publishMany(120);
      const sent = await relayTo(nexus.url, { batchSize: 50 }).flush();
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL');
      expect({ sent, pending: rows[0]?.n }).toEqual({ sent: 120, pending: 0 });
    } finally {
      await nexus.stop();
    }
  });

  it('When the relay is stopped, then it drains what is pending first', async () => {
    const nexus = fakeNexus(await freePort());
    await nexus.start();
    try {
      const relay = relayTo(nexus.url, { pollIntervalMs: 60_000 });
      const ids = await publishMany(4); // before start: only the drain can send them promptly if the first loop missed them
      relay.start();
      await relay.stop();
      expect(nexus.received.map((e) => e.id)).toEqual(ids);
    } finally {
      await nexus.stop();
    }
  });
});

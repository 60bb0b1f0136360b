import { randomUUID } from 'node:crypto';
import { createTestDatabase, waitFor, type TestDatabase } from '@azora/test-database';
import { createOutboxSignal } from '../src/bus/outbox-signal';
import { InvalidEventError, createPublisher } from '../src/bus/publish';
import { fixedClock } from '../src/clock';
import { createPool, withTransaction, type Pool } from '../src/db/pool';

describe('publishing through the outbox', () => {
  let db: TestDatabase;
  let pool: Pool;
  const clock = fixedClock('2026-11-25T10:00:00.000Z');
  const publish = createPublisher({ clock });

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ connectionString: db.urlFor('education'), schema: 'education', max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const lessonCompleted = () => ({
    courseId: randomUUID(),
    lessonId: randomUUID(),
    userId: randomUUID(),
    authorIds: [randomUUID()],
    rewardEligible: true,
  });

  it('When the transaction commits, then the event is in the outbox, pending, with its metadata', async () => {
    const data = lessonCompleted();
    const id = await withTransaction(pool, (tx) =>
      publish(tx, 'education.lesson.completed', data, { subject: data.userId, requestId: 'req-1' }),
    );
    const { rows } = await pool.query(
      'SELECT type, subject, request_id, data, occurred_at, sent_at FROM outbox WHERE id = $1',
      [id],
    );
    expect(rows).toEqual([
      {
        type: 'education.lesson.completed',
        subject: data.userId,
        request_id: 'req-1',
        data,
        occurred_at: clock.now(),
        sent_at: null,
      },
    ]);
  });

  it('When the transaction rolls back, then nothing is published', async () => {
    let id = '';
    await expect(
      withTransaction(pool, async (tx) => {
        id = await publish(tx, 'education.lesson.completed', lessonCompleted());
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const { rowCount } = await pool.query('SELECT 1 FROM outbox WHERE id = $1', [id]);
    expect(rowCount).toBe(0);
  });

  it('When the data does not match the schema of its type, then it is refused before anything is written', async () => {
    const before = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    await expect(
      withTransaction(pool, (tx) =>
        publish(tx, 'education.lesson.completed', { courseId: 'not-a-uuid', userId: randomUUID() } as never),
      ),
    ).rejects.toThrow(InvalidEventError);
    const after = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('When the transaction commits, then the outbox signal fires after the commit, and never for a rollback', async () => {
    const signal = createOutboxSignal();
    const signalled = createPublisher({ clock, signal });
    const seen: number[] = [];
    signal.subscribe(async () => {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
      seen.push(rows[0]?.n ?? -1);
    });
    const before = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]?.n ?? 0;
    await withTransaction(pool, (tx) => signalled(tx, 'education.lesson.completed', lessonCompleted()));
    await expect(
      withTransaction(pool, async (tx) => {
        await signalled(tx, 'education.lesson.completed', lessonCompleted());
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((resolve) => setImmediate(resolve));
    // One signal, and the row it announced was already visible to other connections.
    await waitFor(() => expect(seen).toEqual([before + 1]));
  });
});

describe('publishing many events at once', () => {
  let db: TestDatabase;
  let pool: Pool;
  const publish = createPublisher({ clock: fixedClock('2026-11-25T10:00:00.000Z') });

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ connectionString: db.urlFor('education'), schema: 'education', max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('When a batch is published, then every event is in the outbox in the given order', async () => {
    const events = Array.from({ length: 5 }, () => ({
      type: 'education.lesson.completed' as const,
      data: {
        courseId: randomUUID(),
        lessonId: randomUUID(),
        userId: randomUUID(),
        authorIds: [randomUUID()],
        rewardEligible: true,
      },
    }));
    const ids = await withTransaction(pool, (tx) => publish.many(tx, events));
    const { rows } = await pool.query<{ id: string; data: unknown }>('SELECT id, data FROM outbox ORDER BY position');
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.map((r) => r.data)).toEqual(events.map((e) => e.data));
  });

  it('When one event of a batch is invalid, then none of the batch is written', async () => {
    const before = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    const good = {
      type: 'education.lesson.completed' as const,
      data: {
        courseId: randomUUID(),
        lessonId: randomUUID(),
        userId: randomUUID(),
        authorIds: [randomUUID()],
        rewardEligible: true,
      },
    };
    const bad = { type: 'education.lesson.completed' as const, data: { courseId: 'x' } as never };
    await expect(withTransaction(pool, (tx) => publish.many(tx, [good, bad]))).rejects.toThrow(InvalidEventError);
    const after = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});

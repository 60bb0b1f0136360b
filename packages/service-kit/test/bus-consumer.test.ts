import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { StoredEvent } from '@azora/contracts';
import { createTestDatabase, type TestDatabase } from '@azora/test-database';
import { createServiceApp } from '../src/app';
import { DELIVERY_PATH, createConsumer, type Consumer } from '../src/bus/consumer';
import { signDelivery } from '../src/bus/signature';
import { fixedClock } from '../src/clock';
import { createPool, type Pool } from '../src/db/pool';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';

const SECRET = 'subscription-secret';
const SUBSCRIPTION = randomUUID();
const clock = fixedClock('2026-11-25T10:00:00.000Z');
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

function storedEvent(seq: number, userId = randomUUID()): StoredEvent {
  return {
    id: randomUUID(),
    seq,
    type: 'identity.user.registered',
    source: 'api-gateway',
    occurredAt: clock.now().toISOString(),
    receivedAt: clock.now().toISOString(),
    data: { userId, email: `u${seq}@example.com`, name: 'Ada', role: 'student' },
  };
}

describe('consuming signed deliveries', () => {
  let db: TestDatabase;
  let pool: Pool;
  let consumer: Consumer;
  let app: ReturnType<typeof createServiceApp>;
  let failNext = false;
  let deadlocksLeft = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ connectionString: db.urlFor('mint'), schema: 'mint', max: 4 });
    await pool.query('CREATE TABLE welcomed (user_id uuid PRIMARY KEY, times int NOT NULL)');
    const logger = createLogger({ service: 'azora-mint', level: 'silent' });
    const metrics = createMetrics({ service: 'azora-mint', defaultMetrics: false });
    consumer = createConsumer({ service: 'azora-mint', pool, logger, clock, metrics });
    consumer.on('identity.user.registered', async (event, tx) => {
      // Not idempotent on purpose: only the inbox stands between a redelivery and a double effect.
      await tx.query(
        `INSERT INTO welcomed (user_id, times) VALUES ($1, 1) ON CONFLICT (user_id) DO UPDATE SET times = welcomed.times + 1`,
        [event.data.userId],
      );
      if (failNext) throw new Error('handler failed after writing');
      if (deadlocksLeft > 0) {
        deadlocksLeft -= 1;
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      }
    });
    consumer.useSubscription(SUBSCRIPTION, SECRET);
    app = createServiceApp({
      service: 'azora-mint',
      version: 't',
      logger,
      metrics,
      checks: [],
      consumer,
      routes: () => undefined,
    });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const deliver = (events: StoredEvent[], { secret = SECRET, at = nowSeconds(), tamper = false } = {}) => {
    const body = JSON.stringify({ subscriptionId: SUBSCRIPTION, events });
    const signature = signDelivery(secret, body, at);
    return request(app)
      .post(DELIVERY_PATH)
      .set('content-type', 'application/json')
      .set('azora-signature', signature)
      .send(tamper ? body.replace('Ada', 'Eve') : body);
  };
  const timesWelcomed = async (userId: string) =>
    (await pool.query<{ times: number }>('SELECT times FROM welcomed WHERE user_id = $1', [userId])).rows[0]?.times ??
    0;

  it('When a signed batch arrives, then each event is handled once and recorded in the inbox', async () => {
    const events = [storedEvent(1), storedEvent(2)];
    const res = await deliver(events);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ handled: 2, duplicates: 0 });
    for (const e of events) expect(await timesWelcomed(e.data['userId'] as string)).toBe(1);
  });

  it('When an event is delivered again, then it is acknowledged and its effect stays single', async () => {
    const event = storedEvent(3);
    await deliver([event]);
    const again = await deliver([event, event]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ handled: 0, duplicates: 2 });
    expect(await timesWelcomed(event.data['userId'] as string)).toBe(1);
  });

  it('When the same event is delivered concurrently, then it is applied exactly once', async () => {
    const event = storedEvent(4);
    const results = await Promise.all(Array.from({ length: 8 }, () => deliver([event])));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.reduce((sum, r) => sum + (r.body as { handled: number }).handled, 0)).toBe(1);
    expect(await timesWelcomed(event.data['userId'] as string)).toBe(1);
  });

  it('When the body was tampered with, then the delivery is refused and nothing is applied', async () => {
    const event = storedEvent(5);
    const res = await deliver([event], { tamper: true });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('bus.signature_mismatch');
    expect(await timesWelcomed(event.data['userId'] as string)).toBe(0);
  });

  it('When the signature is older than the tolerance, then the delivery is refused as stale', async () => {
    const res = await deliver([storedEvent(6)], { at: nowSeconds() - 301 });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('bus.signature_stale');
  });

  it('When signed with another secret, then the delivery is refused', async () => {
    const res = await deliver([storedEvent(7)], { secret: 'someone-else' });
    expect(res.status).toBe(401);
  });

  it('When a handler fails, then the batch is rolled back (inbox included) and a redelivery applies it', async () => {
    const event = storedEvent(8);
    failNext = true;
    const failed = await deliver([event]);
    failNext = false;
    expect(failed.status).toBe(500);
    expect(await timesWelcomed(event.data['userId'] as string)).toBe(0);
    const retried = await deliver([event]);
    expect(retried.body).toEqual({ handled: 1, duplicates: 0 });
    expect(await timesWelcomed(event.data['userId'] as string)).toBe(1);
  });

  it('When an event carries data that does not match its type, then the batch is refused naming the field', async () => {
    const bad = { ...storedEvent(9), data: { userId: 'nope' } };
    const res = await deliver([bad]);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/body\.events\.0\.data\.userId/);
  });

  it('When the delivery names another subscription, then it is refused', async () => {
    const body = JSON.stringify({ subscriptionId: randomUUID(), events: [storedEvent(10)] });
    const res = await request(app)
      .post(DELIVERY_PATH)
      .set('content-type', 'application/json')
      .set('azora-signature', signDelivery(SECRET, body, nowSeconds()))
      .send(body);
    expect(res.status).toBe(409);
  });

  it('When a delivered event comes from a service that does not own its type, then it is acknowledged but never applied', async () => {
    // Arrange: a registration "from" analytics; only the gateway may publish identity.* events.
    const forged = { ...storedEvent(11), source: 'analytics-service' };
    const genuine = storedEvent(12);

    // Act
    const res = await deliver([forged, genuine]);

    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ handled: 1, duplicates: 0, refused: 1 });
    expect(await timesWelcomed(forged.data['userId'] as string)).toBe(0);
    expect(await timesWelcomed(genuine.data['userId'] as string)).toBe(1);
  });

  it('When a delivery is larger than the bus accepts, then it is refused with 413 before any handler runs', async () => {
    // Arrange
    const event = storedEvent(13);
    const huge: StoredEvent = { ...event, data: { ...event.data, name: 'x'.repeat(17 * 1024 * 1024) } };

    // Act
    const res = await deliver([huge]);

    // Assert
    expect(res.status).toBe(413);
    expect(await timesWelcomed(huge.data['userId'] as string)).toBe(0);
  });

  it('When a batch hits a deadlock, then it is applied again and its effect stays single', async () => {
    // Arrange: PostgreSQL broke a lock cycle by failing this batch's transaction, twice.
    deadlocksLeft = 2;
    const event = storedEvent(14);

    // Act
    const res = await deliver([event]);

    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ handled: 1, duplicates: 0 });
    expect(await timesWelcomed(event.data['userId'] as string)).toBe(1);
  });
});

import request from 'supertest';
import { fixedClock } from '@azora/service-kit';
import { lessonCompleted } from './support/events';
import { startEndpoint, type TestEndpoint } from './support/endpoint';
import { describeEachBackend } from './support/backends';
import { FAST_DELIVERY, startNexus, subscribe, type Nexus } from './support/harness';
import { waitUntil } from '@azora/testing';

// Signatures carry the clock's time too: it stays within the endpoint's tolerance of real time.
describeEachBackend("Delivery decisions follow Nexus's clock", (backend) => {
  let nexus: Nexus;
  let consumer: TestEndpoint;
  const clock = fixedClock(new Date());

  beforeEach(async () => {
    clock.set(new Date());
    consumer = await startEndpoint();
  });

  afterEach(async () => {
    await nexus.close();
    await consumer.close();
  });

  it('When an attempt fails, then the retry is scheduled from the clock and happens once the clock reaches it', async () => {
    nexus = await startNexus({ ...FAST_DELIVERY, backoffBaseMs: 60_000, backoffMaxMs: 60_000 }, { clock, backend });
    const { id } = await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
    consumer.respond = () => (consumer.deliveries.length === 0 ? 500 : 200);
    const [event] = (await nexus.publish('azora-education', [lessonCompleted()])).events;
    const failedAt = clock.now();
    nexus.startDispatcher();
    const { rows } = await waitUntil(async () => {
      const found = await nexus.pool.query<{ next_attempt_at: Date; attempts: number }>(
        'SELECT next_attempt_at, attempts FROM subscriptions WHERE id = $1 AND attempts > 0',
        [id],
      );
      return found.rows.length > 0 ? found : null;
    }, 'the failed attempt to be recorded');
    const retryInMs = (rows[0]?.next_attempt_at.getTime() ?? NaN) - failedAt.getTime();
    expect(rows[0]?.attempts).toBe(1);
    expect(retryInMs).toBeGreaterThanOrEqual(0);
    expect(retryInMs).toBeLessThan(60_000);

    clock.advance(60_000);
    await waitUntil(() => consumer.accepted.length === 1, 'the retry once the clock reached it');
    expect(consumer.accepted[0]?.seq).toBe(event?.seq);
  });

  it("When an event is dead-lettered and retried by hand, then both times are the clock's", async () => {
    nexus = await startNexus({ ...FAST_DELIVERY, maxAttempts: 1 }, { clock, backend });
    await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
    consumer.respond = () => 500;
    await nexus.publish('azora-education', [lessonCompleted()]);
    const deadAt = clock.now();
    nexus.startDispatcher();
    const { rows } = await waitUntil(async () => {
      const found = await nexus.pool.query<{ id: string; created_at: Date }>('SELECT id, created_at FROM dead_letters');
      return found.rows.length > 0 ? found : null;
    }, 'the dead letter');
    expect(rows[0]?.created_at.toISOString()).toBe(deadAt.toISOString());

    clock.advance(5_000);
    consumer.respond = undefined;
    const retried = await request(nexus.app)
      .post(`/dead-letters/${rows[0]?.id}/retry`)
      .auth(await nexus.token('azora-mint'), { type: 'bearer' });
    expect(retried.status).toBe(200);
    expect(retried.body.retriedAt).toBe(clock.now().toISOString());
  });
});

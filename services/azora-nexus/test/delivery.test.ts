import request from 'supertest';
import { topicMatches } from '@azora/contracts';
import { lessonCompleted, transferCompleted } from './support/events';
import { holdAnswer, startEndpoint, type TestEndpoint } from './support/endpoint';
import { describeEachBackend } from './support/backends';
import { startNexus, subscribe, type Nexus } from './support/harness';
import { sample } from './support/metrics';
import { waitUntil } from '@azora/testing';

describeEachBackend('Delivery', (backend) => {
  let nexus: Nexus;
  let endpoints: TestEndpoint[];

  beforeEach(async () => {
    nexus = await startNexus(undefined, { backend });
    endpoints = [];
  });

  afterEach(async () => {
    await nexus.close();
    for (const endpoint of endpoints) await endpoint.close();
  });

  const endpoint = async () => {
    const started = await startEndpoint();
    endpoints.push(started);
    return started;
  };
  const seqs = (events: ReadonlyArray<{ seq: number }>) => events.map((e) => e.seq);

  it('When events are published, then each subscription receives those of its topics in seq order, signed with its secret', async () => {
    const mint = await endpoint();
    const analytics = await endpoint();
    await subscribe(nexus, mint, { subscriber: 'azora-mint', topics: ['education.lesson.completed'] });
    await subscribe(nexus, analytics, { subscriber: 'analytics-service', topics: ['*'] });
    nexus.startDispatcher({ batchSize: 7 });

    const lessons = Array.from({ length: 30 }, () => lessonCompleted());
    const transfers = Array.from({ length: 10 }, () => transferCompleted());
    await nexus.publish('azora-education', lessons.slice(0, 15));
    await nexus.publish('azora-mint', transfers);
    await nexus.publish('azora-education', lessons.slice(15));

    await waitUntil(() => mint.accepted.length === 30 && analytics.accepted.length === 40, 'every event to arrive');
    expect(mint.accepted.map((e) => e.id)).toEqual(lessons.map((e) => e.id));
    expect(seqs(analytics.accepted)).toEqual([...seqs(analytics.accepted)].sort((a, b) => a - b));
    expect(mint.accepted.every((e) => topicMatches('education.lesson.completed', e.type))).toBe(true);
    expect(mint.badSignatures + analytics.badSignatures).toBe(0);
    expect(Math.max(...analytics.deliveries.map((d) => d.body.events.length))).toBeLessThanOrEqual(7);
    expect(mint.accepted[0]).toMatchObject({ id: lessons[0]?.id, source: 'azora-education', data: lessons[0]?.data });
  });

  it('When an endpoint keeps answering 500 for one event, then it is retried, dead-lettered after the maximum attempts, and later events still arrive', async () => {
    const consumer = await endpoint();
    const { id: subscriptionId } = await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
    const [before, poison, ...after] = Array.from({ length: 5 }, () => lessonCompleted());
    consumer.respond = (body) => (body.events.some((e) => e.id === poison?.id) ? 500 : 200);
    await nexus.publish('azora-education', [before!, poison!, ...after]);
    nexus.startDispatcher();

    await waitUntil(() => consumer.accepted.length === 4, 'the events around the poison one');
    expect(consumer.accepted.map((e) => e.id)).toEqual([before!, ...after].map((e) => e.id));
    const poisonAttempts = consumer.deliveries.filter((d) => d.body.events.some((e) => e.id === poison?.id));
    // In the batch that failed, then, once the event before it was through alone, three times as the head.
    expect(poisonAttempts.map((d) => d.body.events.length)).toEqual([5, 1, 1, 1]);

    const list = await request(nexus.app)
      .get('/dead-letters?subscriber=azora-mint')
      .auth(await nexus.token('azora-mint'), { type: 'bearer' });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        subscriptionId,
        subscriber: 'azora-mint',
        attempts: 3,
        status: 'dead',
        lastError: expect.stringMatching(/^HTTP 500/),
        event: expect.objectContaining({ id: poison?.id }),
      }),
    ]);
    const { rows } = await nexus.pool.query('SELECT position, attempts, last_error FROM subscriptions WHERE id = $1', [
      subscriptionId,
    ]);
    expect(rows[0]).toEqual({ position: consumer.accepted[3]?.seq, attempts: 0, last_error: null });
    const metrics = await request(nexus.app).get('/metrics');
    expect(
      sample(metrics.text, 'nexus_dead_letters_total', {
        type: 'education.lesson.completed',
        subscriber: 'azora-mint',
      }),
    ).toBe(1);
    expect(sample(metrics.text, 'nexus_delivery_failures_total', { subscriber: 'azora-mint' })).toBe(4);
    expect(
      sample(metrics.text, 'nexus_events_delivered_total', {
        type: 'education.lesson.completed',
        subscriber: 'azora-mint',
      }),
    ).toBe(4);
  });

  it('When an endpoint answers 503 for longer than the maximum attempts, then nothing is dead-lettered and every event arrives once it recovers', async () => {
    // Arrange: the subscriber's own database is down, far longer than three attempts.
    const consumer = await endpoint();
    const { id: subscriptionId } = await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
    const events = Array.from({ length: 3 }, () => lessonCompleted());
    let unavailable = 8;
    consumer.respond = () => (unavailable-- > 0 ? 503 : 200);
    await nexus.publish('azora-education', events);

    // Act
    nexus.startDispatcher();

    // Assert
    await waitUntil(() => consumer.accepted.length === 3, 'the events after the subscriber recovered');
    expect(consumer.accepted.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(consumer.deliveries.filter((d) => d.status === 503).length).toBeGreaterThanOrEqual(8);
    const { rows } = await nexus.pool.query(
      'SELECT count(*)::int AS dead FROM dead_letters WHERE subscription_id = $1',
      [subscriptionId],
    );
    expect(rows[0]).toEqual({ dead: 0 });
  });

  it('When a dead letter is retried, then it fails with 502 while the endpoint refuses, and is delivered once the endpoint is healthy', async () => {
    const consumer = await endpoint();
    await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
    // 500: the subscriber refuses the event (a 503 would mean it is temporarily unavailable,
    // which never dead-letters).
    consumer.respond = () => 500;
    const [event] = (await nexus.publish('azora-education', [lessonCompleted()])).events;
    nexus.startDispatcher();
    const token = await nexus.token('azora-mint');
    const dead = await waitUntil(
      async () => (await request(nexus.app).get('/dead-letters').auth(token, { type: 'bearer' })).body.items[0],
      'the dead letter',
    );
    expect(dead).toMatchObject({ attempts: 3, status: 'dead', event: { seq: event?.seq } });

    const refused = await request(nexus.app).post(`/dead-letters/${dead.id}/retry`).auth(token, { type: 'bearer' });
    expect(refused.status).toBe(502);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({
      code: 'dead_letters.delivery_failed',
      deadLetter: { attempts: 4, status: 'dead' },
    });

    consumer.respond = undefined;
    const retried = await request(nexus.app).post(`/dead-letters/${dead.id}/retry`).auth(token, { type: 'bearer' });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      id: dead.id,
      status: 'delivered',
      attempts: 5,
      retriedAt: expect.any(String),
    });
    expect(consumer.accepted.map((e) => e.seq)).toEqual([event?.seq]);
    expect(consumer.badSignatures).toBe(0);

    const again = await request(nexus.app).post(`/dead-letters/${dead.id}/retry`).auth(token, { type: 'bearer' });
    expect(again.status).toBe(409);
  });

  it('When an unknown dead letter is retried, then it answers 404', async () => {
    const res = await request(nexus.app)
      .post('/dead-letters/00000000-0000-4000-8000-000000000000/retry')
      .auth(await nexus.token('azora-mint'), { type: 'bearer' });
    expect(res.status).toBe(404);
  });

  it('When a dispatcher is stopped mid-way, then it finishes its attempt, and a new one on the same database delivers the rest without loss', async () => {
    const consumer = await endpoint();
    await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
    const { arrived, release } = holdAnswer(consumer, 2); // the second batch is in flight when stop() is called
    const first = Array.from({ length: 10 }, () => lessonCompleted());
    await nexus.publish('azora-education', first);
    const dispatcher = nexus.startDispatcher({ batchSize: 3 });
    await waitUntil(() => arrived() === 2, 'the second batch to be in flight');

    const stopping = dispatcher.stop();
    release();
    await stopping;
    expect(consumer.accepted).toHaveLength(6);
    const { rows } = await nexus.pool.query<{ position: number }>('SELECT position FROM subscriptions');
    expect(rows[0]?.position).toBe(consumer.accepted[5]?.seq);

    const second = Array.from({ length: 5 }, () => lessonCompleted());
    await nexus.publish('azora-education', second);
    nexus.startDispatcher({ batchSize: 3 });
    await waitUntil(() => consumer.accepted.length === 15, 'the rest to arrive');
    expect(consumer.accepted.map((e) => e.id)).toEqual([...first, ...second].map((e) => e.id));
  });

  it('When an endpoint hangs while the dispatcher stops, then stop aborts the attempt after its bound and records nothing', async () => {
    const consumer = await endpoint();
    const { id } = await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
    let arrived = false;
    consumer.respond = () => {
      arrived = true;
      return new Promise<number>(() => undefined);
    };
    await nexus.publish('azora-education', [lessonCompleted()]);
    const dispatcher = nexus.startDispatcher({ stopTimeoutMs: 50 });
    await waitUntil(() => arrived, 'the delivery to arrive');
    await dispatcher.stop();
    const { rows } = await nexus.pool.query('SELECT position, attempts FROM subscriptions WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ position: 0, attempts: 0 });
  });

  it('When two dispatchers share a database, then every subscription still gets each event once, in order', async () => {
    const consumers = [await endpoint(), await endpoint(), await endpoint()];
    const subscribers = ['azora-mint', 'analytics-service', 'notification-service'];
    for (const [i, consumer] of consumers.entries())
      await subscribe(nexus, consumer, { subscriber: subscribers[i] as string });
    nexus.startDispatcher({ batchSize: 5, concurrency: 2 });
    nexus.startDispatcher({ batchSize: 5, concurrency: 2 });
    const events = Array.from({ length: 120 }, () => lessonCompleted());
    for (let i = 0; i < events.length; i += 20) await nexus.publish('azora-education', events.slice(i, i + 20));

    await waitUntil(() => consumers.every((c) => c.accepted.length >= 120), 'every consumer to have every event');
    for (const consumer of consumers) expect(consumer.accepted.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('When subscribers lag behind, then /metrics shows each backlog as max seq minus position', async () => {
    const consumer = await endpoint();
    await subscribe(nexus, consumer, { subscriber: 'azora-forge', topics: ['mint.*'] });
    await nexus.publish(
      'azora-education',
      Array.from({ length: 4 }, () => lessonCompleted()),
    );
    const behind = await request(nexus.app).get('/metrics');
    expect(sample(behind.text, 'nexus_subscription_backlog', { subscriber: 'azora-forge' })).toBe(4);

    nexus.startDispatcher();
    // None of the four matches mint.*: the position moves past them without a delivery.
    await waitUntil(
      async () =>
        sample((await request(nexus.app).get('/metrics')).text, 'nexus_subscription_backlog', {
          subscriber: 'azora-forge',
        }) === 0,
      'the backlog to drain',
    );
    expect(consumer.deliveries).toHaveLength(0);
  });
});

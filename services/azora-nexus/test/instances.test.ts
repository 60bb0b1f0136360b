import request from 'supertest';
import { describeEachBackend } from './support/backends';
import { startEndpoint, type TestEndpoint } from './support/endpoint';
import { lessonCompleted } from './support/events';
import { startNexus, subscribe, type Nexus } from './support/harness';
import { waitUntil } from '@azora/testing';

// Instances behind a load balancer: the same database (and, on NATS, the same stream), each with
// its own pool, connection and dispatcher; publishers and subscribers reach either of them.
describeEachBackend('Several Nexus instances', (backend) => {
  let first: Nexus;
  let second: Nexus;
  let consumers: TestEndpoint[];

  beforeEach(async () => {
    first = await startNexus(undefined, { backend });
    second = await startNexus(undefined, { joining: first });
    consumers = [await startEndpoint(), await startEndpoint(), await startEndpoint()];
  });

  afterEach(async () => {
    await second.close();
    await first.close();
    for (const consumer of consumers) await consumer.close();
  });

  it('When events are published to both instances and both deliver, then every subscription gets each event exactly once, in order', async () => {
    // Arrange: subscriptions registered through either instance; a dispatcher on each.
    const subscribers = ['azora-mint', 'analytics-service', 'notification-service'];
    for (const [i, consumer] of consumers.entries())
      await subscribe(i % 2 === 0 ? first : second, consumer, { subscriber: subscribers[i] as string });
    first.startDispatcher({ batchSize: 4, concurrency: 2 });
    second.startDispatcher({ batchSize: 4, concurrency: 2 });

    // Act: batches go to one instance or the other, one after the other, as a relay's would.
    const events = Array.from({ length: 90 }, () => lessonCompleted());
    const appended = [];
    for (let i = 0; i < events.length; i += 10)
      appended.push(
        ...(await (i % 20 === 0 ? first : second).publish('azora-education', events.slice(i, i + 10))).events,
      );

    // Assert
    await waitUntil(() => consumers.every((c) => c.accepted.length >= events.length), 'every event at every consumer');
    const seqs = appended.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const consumer of consumers) {
      expect(consumer.accepted.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(consumer.badSignatures).toBe(0);
    }
  });

  it('When a subscription is registered through one instance, then the other lists it and replays the same log', async () => {
    const [consumer] = consumers as [TestEndpoint];
    const { id } = await subscribe(first, consumer, { subscriber: 'azora-forge' });
    await second.publish('azora-education', [lessonCompleted()]);

    const listed = await request(second.app)
      .get('/subscriptions')
      .auth(await second.token('azora-forge'), { type: 'bearer' });
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    const token = await first.token('analytics-service');
    const fromFirst = await request(first.app).get('/events').auth(token, { type: 'bearer' });
    const fromSecond = await request(second.app).get('/events').auth(token, { type: 'bearer' });
    expect(fromFirst.body.events).toHaveLength(1);
    expect(fromSecond.body).toEqual(fromFirst.body);
  });
});

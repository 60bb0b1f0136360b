import { createPool } from '@azora/service-kit';
import { lessonCompleted } from './support/events';
import { holdAnswer, startEndpoint, type TestEndpoint } from './support/endpoint';
import { describeEachBackend } from './support/backends';
import { DISPATCHER_APPLICATION, startNexus, subscribe, type Nexus } from './support/harness';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';
import { waitUntil } from '@azora/testing';

// The poll is set far beyond waitUntil's bound: deliveries that resume within a test were woken
// by the database coming back, not found by a poll.
const NO_POLL = { pollIntervalMs: 60_000 };

describeEachBackend('Recovery from a database outage', (backend) => {
  let nexus: Nexus;
  let proxy: TcpProxy;
  let consumer: TestEndpoint;

  beforeEach(async () => {
    nexus = await startNexus(undefined, { backend });
    proxy = await startTcpProxy(nexus.db.urlFor('nexus'));
    consumer = await startEndpoint();
    await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
  });

  afterEach(async () => {
    proxy.up();
    await nexus.close();
    await proxy.close();
    await consumer.close();
  });

  it('When the database goes away mid-delivery and comes back, then the dispatcher, backing off meanwhile, redelivers the unacknowledged batch and the rest', async () => {
    const { arrived, release } = holdAnswer(consumer, 1);
    nexus.startDispatcher(NO_POLL, { connectionString: proxy.through(nexus.db.urlFor('nexus')) });
    const first = lessonCompleted();
    await nexus.publish('azora-education', [first]);
    await waitUntil(() => arrived() === 1, 'the first delivery to be in flight');

    proxy.down();
    release(); // acknowledged by the consumer, but Nexus cannot record it
    const during = lessonCompleted();
    await nexus.publish('azora-education', [during]); // the app's own pool still reaches the database
    await waitUntil(() => proxy.refused >= 3, 'the dispatcher to keep trying while the database is away');
    proxy.up();

    await waitUntil(() => consumer.accepted.some((e) => e.id === during.id), 'the event published during the outage');
    expect(consumer.accepted.map((e) => e.id)).toEqual([first.id, first.id, during.id]);
  });

  it("When the database cuts the dispatcher's connections, then an event published right after is delivered without waiting for the poll", async () => {
    nexus.startDispatcher(NO_POLL);
    await nexus.publish('azora-education', [lessonCompleted()]);
    await waitUntil(() => consumer.accepted.length === 1, 'the first event');

    const admin = createPool({ connectionString: nexus.db.superuserUrl, schema: 'nexus', max: 1 });
    try {
      const { rows } = await admin.query<{ cut: boolean }>(
        'SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
        [DISPATCHER_APPLICATION],
      );
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const after = lessonCompleted();
    await nexus.publish('azora-education', [after]);

    await waitUntil(() => consumer.accepted.some((e) => e.id === after.id), 'the event published after the cut');
  });
});

// Nexus is killed with SIGKILL while a stream of events is being delivered: after a restart,
// every event arrives at least once and the consumer applies each exactly once.
import { createTestDatabase, waitFor, type TestDatabase } from '@azora/testing';
import { educationPublisher, mintSubscriber, nexusClientFor, type Publisher, type Subscriber } from './support/bus-peers';
import { createDeployment, startService, type Deployment, type ServiceProcess } from './support/processes';

describe('Nexus crashing mid-delivery', () => {
  let db: TestDatabase;
  let nexus: ServiceProcess;
  let publisher: Publisher;
  let subscriber: Subscriber;
  let deployment: Deployment | undefined;

  afterAll(async () => {
    await publisher?.close();
    await subscriber?.close();
    await nexus?.stop();
    await deployment?.remove();
    await db?.drop();
  });

  it('When Nexus is killed -9 while delivering and restarted, then every event is applied exactly once', async () => {
    db = await createTestDatabase();
    deployment = await createDeployment(['azora-nexus', 'azora-education', 'azora-mint']);
    nexus = await startService('azora-nexus', {
      deployment,
      // Small batches and a slow handler keep deliveries in flight when the kill lands.
      env: { NEXUS_DATABASE_URL: db.urlFor('nexus'), NEXUS_DELIVERY_BATCH: '20', NEXUS_BACKOFF_BASE_MS: '20', NEXUS_BACKOFF_MAX_MS: '200' },
    });
    publisher = educationPublisher(db.urlFor('education'), nexusClientFor('azora-education', deployment, nexus.url));
    subscriber = await mintSubscriber(db.urlFor('mint'), { handlerDelayMs: 2 });
    await subscriber.register(nexusClientFor('azora-mint', deployment, nexus.url));

    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(...(await publisher.publishLessons(100)));
    publisher.relay.start();

    await waitFor(async () => expect((await subscriber.applied()).length).toBeGreaterThanOrEqual(150), { what: 'delivery to be under way' });
    await nexus.kill();
    const appliedAtCrash = (await subscriber.applied()).length;
    expect(appliedAtCrash).toBeLessThan(ids.length); // the kill really landed mid-stream

    await nexus.restart();
    await waitFor(async () => expect((await subscriber.applied()).length).toBe(ids.length), { timeoutMs: 60_000, what: 'all 600 events applied' });

    const applied = await subscriber.applied();
    expect(new Set(applied.map((r) => r.event_id))).toEqual(new Set(ids));
    expect(applied.every((r) => r.times === 1)).toBe(true);
    expect(new Set(subscriber.received)).toEqual(new Set(ids)); // at least once...
    expect(subscriber.received.length).toBeGreaterThanOrEqual(ids.length); // ...and possibly more
  });
});

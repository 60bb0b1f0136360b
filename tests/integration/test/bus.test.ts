// The bus end to end: a publishing service's outbox and relay, a real Nexus process, and a
// consuming service's signed endpoint, over real HTTP, including Nexus crashing mid-stream.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, waitFor } from '@azora/testing';
import { callNexus, startBus, type Bus, type Publisher, type Subscriber } from './support/bus-peers';
import type { Deployment, ServiceProcess } from './support/processes';

describe('the event bus across real processes', () => {
  let bus: Bus;
  let deployment: Deployment;
  let nexus: ServiceProcess;
  let publisher: Publisher;
  let subscriber: Subscriber;

  beforeAll(async () => {
    bus = await startBus(await createTestDatabase(), { nexusEnv: { NEXUS_MAX_ATTEMPTS: '3' }, handlerDelayMs: 1 });
    ({ deployment, nexus, publisher, subscriber } = bus);
    publisher.relay.start();
  });

  afterAll(async () => {
    await bus?.stop();
  });

  const appliedIds = async () => (await subscriber.applied()).map((r) => r.event_id);

  it('When a service publishes, then the subscriber applies every event once, in publishing order', async () => {
    const ids = await publisher.publishLessons(20);
    await waitFor(async () => expect(await appliedIds()).toEqual(expect.arrayContaining(ids)), {
      what: '20 events applied',
    });
    const applied = await appliedIds();
    expect(applied.filter((id) => ids.includes(id))).toEqual(ids);
  });

  it('When Nexus is down while a service publishes, then the events are delivered after it comes back', async () => {
    await nexus.stop();
    const ids = await publisher.publishLessons(10);
    await waitFor(async () => expect(await publisher.pending()).toBe(10), { what: 'the events to wait in the outbox' });
    await nexus.restart();
    await waitFor(async () => expect(await appliedIds()).toEqual(expect.arrayContaining(ids)), {
      what: 'delivery after the restart',
    });
    expect(await publisher.pending()).toBe(0);
  });

  it('When the consumer keeps failing an event, then it is dead-lettered, later events flow, and a retry delivers it', async () => {
    const poison = randomUUID();
    subscriber.poisoned.add(poison);
    const [poisonEvent, ...later] = await publisher.publishLessons(0, [poison, randomUUID(), randomUUID()]);
    await waitFor(async () => expect(await appliedIds()).toEqual(expect.arrayContaining(later)), {
      what: 'the events behind the poison one',
    });

    const deadLetters = await waitFor(
      async () => {
        const res = await callNexus('azora-mint', deployment, nexus.url, 'GET', '/dead-letters?subscriber=azora-mint');
        const found = (res.body as { items: { id: string; event: { id: string }; attempts: number }[] }).items.filter(
          (d) => d.event.id === poisonEvent,
        );
        expect(found).toHaveLength(1);
        return found;
      },
      { what: 'the dead letter' },
    );
    expect(deadLetters[0]?.attempts).toBe(3);
    expect(await appliedIds()).not.toContain(poisonEvent);

    subscriber.poisoned.delete(poison);
    const retry = await callNexus(
      'azora-mint',
      deployment,
      nexus.url,
      'POST',
      `/dead-letters/${deadLetters[0]?.id}/retry`,
    );
    expect(retry.status).toBe(200);
    expect((await subscriber.applied()).filter((r) => r.event_id === poisonEvent)).toEqual([
      { event_id: poisonEvent, times: 1 },
    ]);
  });
});

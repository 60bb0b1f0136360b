// Nexus is killed with SIGKILL while a stream of events is being delivered: after a restart,
// every event arrives at least once and the consumer applies each exactly once.
import { createTestDatabase, waitFor } from '@azora/testing';
import { startBus, type Bus } from './support/bus-peers';

describe('Nexus crashing mid-delivery', () => {
  let bus: Bus | undefined;

  afterAll(async () => {
    await bus?.stop();
  });

  it('When Nexus is killed -9 while delivering and restarted, then every event is applied exactly once', async () => {
    // Small batches and a slow handler keep deliveries in flight when the kill lands.
    bus = await startBus(await createTestDatabase(), { nexusEnv: { NEXUS_DELIVERY_BATCH: '20' }, handlerDelayMs: 2 });
    const { nexus, publisher, subscriber } = bus;

    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(...(await publisher.publishLessons(100)));
    publisher.relay.start();

    await waitFor(async () => expect((await subscriber.applied()).length).toBeGreaterThanOrEqual(150), {
      what: 'delivery to be under way',
    });
    await nexus.kill();
    const appliedAtCrash = (await subscriber.applied()).length;
    expect(appliedAtCrash).toBeLessThan(ids.length); // the kill really landed mid-stream

    await nexus.restart();
    await waitFor(async () => expect((await subscriber.applied()).length).toBe(ids.length), {
      timeoutMs: 60_000,
      what: 'all 600 events applied',
    });

    const applied = await subscriber.applied();
    expect(new Set(applied.map((r) => r.event_id))).toEqual(new Set(ids));
    expect(applied.every((r) => r.times === 1)).toBe(true);
    expect(new Set(subscriber.received)).toEqual(new Set(ids)); // at least once...
    expect(subscriber.received.length).toBeGreaterThanOrEqual(ids.length); // ...and possibly more
  });
});

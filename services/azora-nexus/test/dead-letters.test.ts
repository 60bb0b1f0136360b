import request from 'supertest';
import { describeEachBackend } from './support/backends';
import { lessonCompleted } from './support/events';
import { startNexus, type Nexus } from './support/harness';
import { addDeadLetters, storedCopies, subscriptionRow } from './support/inspect';

describeEachBackend('GET /dead-letters', (backend) => {
  let nexus: Nexus;

  beforeAll(async () => {
    nexus = await startNexus(undefined, { backend });
  });

  afterAll(async () => {
    await nexus.close();
  });

  async function deadLetters(subscriber: string, count: number): Promise<void> {
    const subscriptionId = await subscriptionRow(nexus, { subscriber, endpoint: 'http://127.0.0.1:9/x' });
    const published = await nexus.publish(
      'azora-education',
      Array.from({ length: count }, () => lessonCompleted()),
    );
    await addDeadLetters(nexus, subscriptionId, await storedCopies(nexus, published));
  }

  it('When there are more dead letters than the limit, then they come page by page, oldest first, for the subscriber asked', async () => {
    await deadLetters('azora-mint', 3);
    await deadLetters('azora-forge', 1);
    const token = await nexus.token('monitoring-service');
    const first = await request(nexus.app)
      .get('/dead-letters?subscriber=azora-mint&limit=2')
      .auth(token, { type: 'bearer' });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(nexus.app)
      .get(`/dead-letters?subscriber=azora-mint&limit=2&cursor=${first.body.nextCursor}`)
      .auth(token, { type: 'bearer' });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const seqs = [...first.body.items, ...second.body.items].map(
      (d: { event: { seq: number }; subscriber: string }) => d.event.seq,
    );
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(
      [...first.body.items, ...second.body.items].every((d: { subscriber: string }) => d.subscriber === 'azora-mint'),
    ).toBe(true);
  });

  it('When the cursor was not given out by the list, then it answers 400', async () => {
    const res = await request(nexus.app)
      .get('/dead-letters?cursor=bm9wZQ')
      .auth(await nexus.token('monitoring-service'), { type: 'bearer' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.invalid_cursor');
  });
});

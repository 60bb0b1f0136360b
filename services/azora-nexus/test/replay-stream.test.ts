import request from 'supertest';
import { ReplayResponse, StoredEvent } from '@azora/contracts';
import { lessonCompleted, transferCompleted } from './support/events';
import { describeEachBackend } from './support/backends';
import { startNexus, type Nexus } from './support/harness';
import { streamListeners } from './support/inspect';
import { openStream, type SseClient } from './support/sse';
import { waitUntil } from '@azora/testing';

describeEachBackend('Replay and stream', (backend) => {
  let nexus: Nexus;
  let streams: SseClient[];
  let seqs: number[];

  beforeAll(async () => {
    nexus = await startNexus(undefined, { backend });
    const published = await nexus.publish('azora-education', [lessonCompleted(), lessonCompleted()]);
    const transfers = await nexus.publish('azora-mint', [transferCompleted()]);
    const more = await nexus.publish('azora-education', [
      lessonCompleted({
        type: 'education.enrollment.created',
        data: { courseId: crypto.randomUUID(), userId: crypto.randomUUID() },
      }),
    ]);
    seqs = [...published.events, ...transfers.events, ...more.events].map((e) => e.seq);
  });

  beforeEach(() => {
    streams = [];
  });

  afterEach(() => {
    for (const stream of streams) stream.close();
  });

  afterAll(async () => {
    await nexus.close();
  });

  const replay = async (query: string) => {
    const res = await request(nexus.app)
      .get(`/events${query}`)
      .auth(await nexus.token('analytics-service'), { type: 'bearer' });
    expect(res.status).toBe(200);
    return ReplayResponse.parse(res.body);
  };

  it('When the log is replayed after a seq with a limit, then it returns the next events in order and where to read on', async () => {
    const page = await replay(`?after=${seqs[0]}&limit=2`);
    expect(page.events.map((e) => e.seq)).toEqual([seqs[1], seqs[2]]);
    expect(page.next).toBe(seqs[2]);
    const rest = await replay(`?after=${page.next}&limit=2`);
    expect(rest.events.map((e) => e.seq)).toEqual([seqs[3]]);
    const end = await replay(`?after=${seqs[3]}`);
    expect(end).toEqual({ events: [], next: null });
  });

  it('When types are given, then only events matching them (exact or prefix.*) are replayed', async () => {
    const exact = await replay('?types=mint.transfer.completed');
    expect(exact.events.map((e) => e.type)).toEqual(['mint.transfer.completed']);
    const patterns = await replay('?types=education.lesson.completed,education.enrollment.*');
    expect(patterns.events.map((e) => e.seq)).toEqual([seqs[0], seqs[1], seqs[3]]);
    // LIKE's wildcards in a type are literal characters, not patterns.
    expect((await replay('?types=%25,education.lesson_completed')).events).toEqual([]);
  });

  it('When the replay query is malformed, then it answers 400 naming the field', async () => {
    const res = await request(nexus.app)
      .get('/events?limit=5000')
      .auth(await nexus.token('analytics-service'), { type: 'bearer' });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'query.limit' })]);
  });

  it('When a client streams, then it gets an event as soon as it is appended, as id/event/data', async () => {
    const stream = openStream(`${nexus.url}/stream`, {
      authorization: `Bearer ${await nexus.token('monitoring-service')}`,
    });
    streams.push(stream);
    expect(await stream.status).toBe(200);
    // Without a Last-Event-ID the stream starts at the end of the log: nothing old comes.
    const event = lessonCompleted();
    const [appended] = (await nexus.publish('azora-education', [event])).events;
    const message = await waitUntil(() => stream.messages[0], 'the live event');
    expect(message).toMatchObject({ id: String(appended?.seq), event: 'education.lesson.completed' });
    expect(StoredEvent.parse(JSON.parse(message.data))).toMatchObject({
      id: event.id,
      seq: appended?.seq,
      data: event.data,
    });
    expect(stream.messages).toHaveLength(1);
  });

  it('When a client reconnects with Last-Event-ID, then it first gets the stored events after it, then live ones, filtered by types', async () => {
    const token = await nexus.token('monitoring-service');
    const stream = openStream(`${nexus.url}/stream?types=education.*`, {
      authorization: `Bearer ${token}`,
      'last-event-id': String(seqs[0]),
    });
    streams.push(stream);
    expect(await stream.status).toBe(200);
    await waitUntil(() => stream.messages.length >= 2, 'the stored education events');
    expect(stream.messages.slice(0, 2).map((m) => Number(m.id))).toEqual([seqs[1], seqs[3]]);

    await nexus.publish('azora-mint', [transferCompleted()]);
    const [live] = (await nexus.publish('azora-education', [lessonCompleted()])).events;
    await waitUntil(() => stream.messages.some((m) => Number(m.id) === live?.seq), 'the live education event');
    expect(stream.messages.every((m) => m.event?.startsWith('education.'))).toBe(true);
    const ids = stream.messages.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('When a stream is opened without a service credential, then it answers 401', async () => {
    const stream = openStream(`${nexus.url}/stream`, {});
    streams.push(stream);
    expect(await stream.status).toBe(401);
  });

  it('When every stream has closed, then Nexus gives back what it listened for appends with (a LISTEN connection, a NATS subscription)', async () => {
    const stream = openStream(`${nexus.url}/stream`, {
      authorization: `Bearer ${await nexus.token('monitoring-service')}`,
    });
    expect(await stream.status).toBe(200);
    await waitUntil(async () => (await streamListeners(nexus)) === 1, 'the stream to listen for appends');
    stream.close();
    await waitUntil(async () => (await streamListeners(nexus)) === 0, 'the listener to be given back');
  });
});

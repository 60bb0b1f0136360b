import request from 'supertest';
import type { JsMsg } from 'nats';
import { consumerName } from '../src/nats/consumers';
import { openNatsStream } from '../src/nats/stream';
import { holdAnswer, startEndpoint, type TestEndpoint } from './support/endpoint';
import { lessonCompleted } from './support/events';
import { startNexus, subscribe, type Nexus } from './support/harness';
import { natsServer, stopNatsServer } from './support/nats-server';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';
import { waitUntil } from '@azora/testing';

// What only the JetStream backend has: the stream's own records, its consumers, and NATS itself
// going away. The behaviour every backend shares is in the other files, run on both.
describe('The JetStream backend', () => {
  let nexus: Nexus;
  let consumer: TestEndpoint;
  let proxy: TcpProxy | undefined;

  beforeEach(async () => {
    consumer = await startEndpoint();
  });

  afterEach(async () => {
    proxy?.up();
    await nexus.close();
    await proxy?.close();
    proxy = undefined;
    await consumer.close();
  });

  afterAll(stopNatsServer);

  const nats = () => nexus.nats as NonNullable<Nexus['nats']>;

  it('When an event is published, then the stream holds it on its type subject with its id as Nats-Msg-Id', async () => {
    nexus = await startNexus(undefined, { backend: 'nats' });
    const event = lessonCompleted();
    const [appended] = (await nexus.publish('azora-education', [event])).events;

    const stored = await nats().jsm.streams.getMessage(nats().name, { seq: appended?.seq as number });
    expect(stored.subject).toBe(`${nats().name}.event.education.lesson.completed`);
    expect(stored.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(stored.json()).toEqual(event);
  });

  it('When one event of a batch is larger than NATS takes in a message, then it answers 413 naming it and appends nothing', async () => {
    nexus = await startNexus(undefined, { backend: 'nats' });
    const small = lessonCompleted();
    const large = lessonCompleted({
      type: 'education.course.published',
      data: { courseId: crypto.randomUUID(), title: 'x'.repeat(1_200_000), skills: [] },
    });
    const res = await request(nexus.app)
      .post('/events')
      .auth(await nexus.token('azora-education'), { type: 'bearer' })
      .send({ events: [small, large] });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'request.body_too_large', detail: expect.stringContaining('events.1') });
    expect(await nats().head()).toBe(0);
  });

  it('When NATS_URL reaches no server, or NATS_STREAM names a stream of other subjects, then start-up fails naming the variable', async () => {
    nexus = await startNexus(undefined, { backend: 'nats' });
    const logger = nexus.deps.logger;
    const settings = { duplicateWindowMs: 60_000, replicas: 1, logger, requestTimeoutMs: 2_000 };
    await expect(openNatsStream({ ...settings, servers: 'nats://127.0.0.1:1', stream: 'NOWHERE' })).rejects.toThrow(
      /NATS_URL \(nats:\/\/127\.0\.0\.1:1\)/,
    );
    await nats().jsm.streams.add({ name: `${nats().name}_OTHER`, subjects: [`${nats().name}.other.>`] });
    await expect(
      openNatsStream({ ...settings, servers: (await natsServer()).url, stream: `${nats().name}_OTHER` }),
    ).rejects.toThrow(/choose another NATS_STREAM/);
    await nats().jsm.streams.delete(`${nats().name}_OTHER`);
  });

  it('When a subscription is deleted, then its durable consumer is deleted with it', async () => {
    nexus = await startNexus(undefined, { backend: 'nats' });
    const { id } = await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
    nexus.startDispatcher();
    await nexus.publish('azora-education', [lessonCompleted()]);
    await waitUntil(() => consumer.accepted.length === 1, 'the delivery');
    const info = await nats().jsm.consumers.info(nats().name, consumerName(id));
    expect(info.config).toMatchObject({ durable_name: consumerName(id), max_deliver: -1 });

    const deleted = await request(nexus.app)
      .delete(`/subscriptions/${id}`)
      .auth(await nexus.token('azora-mint'), { type: 'bearer' });
    expect(deleted.status).toBe(204);
    await expect(nats().jsm.consumers.info(nats().name, consumerName(id))).rejects.toMatchObject({
      api_error: { err_code: 10014 },
    });
  });

  it('When an instance stopped with events pulled and never settled, then the next attempt resumes right after the recorded position, in order', async () => {
    nexus = await startNexus(undefined, { backend: 'nats' });
    const { id } = await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
    const dispatcher = nexus.startDispatcher();
    const before = [lessonCompleted(), lessonCompleted()];
    await nexus.publish('azora-education', before);
    await waitUntil(() => consumer.accepted.length === 2, 'the first events');
    await dispatcher.stop();

    // Arrange: a process that pulled the next events and died without acknowledging or giving
    // them back; JetStream would offer them again only after its ack wait (minutes).
    const after = [lessonCompleted(), lessonCompleted(), lessonCompleted()];
    await nexus.publish('azora-education', after);
    const lost: JsMsg[] = [];
    for await (const message of nats().js.fetch(nats().name, consumerName(id), { batch: 10, no_wait: true }))
      lost.push(message);
    expect(lost).toHaveLength(3);

    // Act
    nexus.startDispatcher();

    // Assert
    await waitUntil(() => consumer.accepted.length === 5, 'the events the vanished process had pulled');
    expect(consumer.accepted.map((e) => e.id)).toEqual([...before, ...after].map((e) => e.id));
  });

  it('When NATS goes away and comes back, then publishing and readiness answer 503 meanwhile, and delivery resumes with nothing lost, in order', async () => {
    proxy = await startTcpProxy((await natsServer()).url);
    nexus = await startNexus(undefined, { backend: 'nats', natsUrl: proxy.through((await natsServer()).url) });
    await subscribe(nexus, consumer, { subscriber: 'azora-mint' });
    const { arrived, release } = holdAnswer(consumer, 1);
    nexus.startDispatcher();
    const first = lessonCompleted();
    await nexus.publish('azora-education', [first]);
    await waitUntil(() => arrived() === 1, 'the first delivery to be in flight');

    proxy.down();
    release(); // accepted by the consumer, but Nexus cannot acknowledge it to JetStream
    const during = lessonCompleted();
    const refused = await request(nexus.app)
      .post('/events')
      .auth(await nexus.token('azora-education'), { type: 'bearer' })
      .send({ events: [during] });
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.body).toMatchObject({ code: 'service.dependency_unavailable', dependency: 'nats' });
    const ready = await request(nexus.app).get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'nats', status: 'failing' })]),
    );
    proxy.up();

    // The publisher retries what was refused, as its outbox relay does.
    await waitUntil(async () => (await request(nexus.app).get('/ready')).status === 200, 'NATS to answer again');
    await nexus.publish('azora-education', [during]);
    await waitUntil(() => consumer.accepted.some((e) => e.id === during.id), 'the event refused during the outage');
    expect(consumer.accepted.map((e) => e.id)).toEqual([first.id, first.id, during.id]);
  });
});

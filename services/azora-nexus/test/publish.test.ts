import request from 'supertest';
import { createCoreDeps, createServiceTokenIssuer, generateServiceKeys } from '@azora/service-kit';
import { createApp } from '../src/app';
import { lessonCompleted, paymentSucceeded, transferCompleted } from './support/events';
import { describeEachBackend } from './support/backends';
import { startNexus, type Nexus } from './support/harness';
import { countStored, storedEvents } from './support/inspect';
import { sample } from './support/metrics';

describeEachBackend('POST /events', (backend) => {
  let nexus: Nexus;

  beforeAll(async () => {
    nexus = await startNexus(undefined, { backend });
  });

  afterAll(async () => {
    await nexus.close();
  });

  const countEvents = (ids: string[]) => countStored(nexus, ids);

  it('When no token is sent, then it answers 401 problem+json and stores nothing', async () => {
    const event = lessonCompleted();
    const res = await request(nexus.app)
      .post('/events')
      .send({ events: [event] });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('auth.service_credential_required');
    expect(await countEvents([event.id])).toBe(0);
  });

  it('When Nexus was started without service keys, then every call is 401, even with a valid token', async () => {
    const keyless = createApp({ ...createCoreDeps({ service: 'azora-nexus', pool: nexus.pool }), nats: nexus.nats });
    const res = await request(keyless)
      .post('/events')
      .auth(await nexus.token('azora-education'), { type: 'bearer' })
      .send({ events: [lessonCompleted()] });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.service_credential_required');
  });

  it('When the token is signed by a key that is not in the key set, then it answers 401', async () => {
    const stranger = generateServiceKeys(['azora-education']);
    const forged = await createServiceTokenIssuer({
      service: 'azora-education',
      privateKeyPem: stranger.privateKeys['azora-education'] as string,
    }).token();
    const event = lessonCompleted();
    const res = await request(nexus.app)
      .post('/events')
      .auth(forged, { type: 'bearer' })
      .send({ events: [event] });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.invalid_service_credential');
    expect(await countEvents([event.id])).toBe(0);
  });

  it('When a service publishes an event whose source is another service, then it answers 403 and stores nothing of the batch', async () => {
    const own = lessonCompleted();
    const foreign = transferCompleted();
    const res = await request(nexus.app)
      .post('/events')
      .auth(await nexus.token('azora-education'), { type: 'bearer' })
      .send({ events: [own, foreign] });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('events.source_mismatch');
    expect(await countEvents([own.id, foreign.id])).toBe(0);
  });

  it('When analytics, which owns no event type, publishes pay.payment.succeeded under its own name, then it answers 403 and appends nothing', async () => {
    const forged = paymentSucceeded({ source: 'analytics-service' });
    const res = await request(nexus.app)
      .post('/events')
      .auth(await nexus.token('analytics-service'), { type: 'bearer' })
      .send({ events: [forged] });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('auth.service_not_allowed');
    expect(await countEvents([forged.id])).toBe(0);
  });

  it('When a publisher sends an event of a type another service owns, then it answers 403 events.not_owner, logs and counts it, and appends nothing', async () => {
    const warn = jest.spyOn(nexus.deps.logger, 'warn');
    const forged = paymentSucceeded({ source: 'azora-mint' });
    const res = await request(nexus.app)
      .post('/events')
      .auth(await nexus.token('azora-mint'), { type: 'bearer' })
      .send({ events: [forged] });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'events.not_owner', detail: expect.stringContaining('azora-pay') });
    expect(await countEvents([forged.id])).toBe(0);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ caller: 'azora-mint', types: ['pay.payment.succeeded'] }),
      expect.stringContaining('publish refused'),
    );
    warn.mockRestore();
    const metrics = await request(nexus.app).get('/metrics');
    expect(
      sample(metrics.text, 'nexus_events_refused_total', {
        caller: 'azora-mint',
        type: 'pay.payment.succeeded',
        reason: 'not_owner',
      }),
    ).toBe(1);
  });

  it("When a batch of the owner's events holds one event of a type it does not own, then the whole batch is refused", async () => {
    const own = Array.from({ length: 3 }, () => lessonCompleted());
    const foreign = paymentSucceeded({ source: 'azora-education' });
    const res = await request(nexus.app)
      .post('/events')
      .auth(await nexus.token('azora-education'), { type: 'bearer' })
      .send({ events: [...own.slice(0, 2), foreign, ...own.slice(2)] });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'events.not_owner', detail: expect.stringContaining('events.2.type') });
    expect(await countEvents([...own, foreign].map((e) => e.id))).toBe(0);
  });

  it('When the owner publishes its event, then it is appended', async () => {
    const payment = paymentSucceeded();
    const answer = await nexus.publish('azora-pay', [payment]);
    expect(answer).toMatchObject({ accepted: 1, duplicates: 0, events: [{ id: payment.id }] });
    expect(await countEvents([payment.id])).toBe(1);
  });

  it('When one event of a batch has invalid data, then it answers 400 naming data.<field> and stores nothing of the batch', async () => {
    const good = lessonCompleted();
    const bad = lessonCompleted();
    bad.data = { ...bad.data, lessonId: 'not-a-uuid' };
    const res = await request(nexus.app)
      .post('/events')
      .auth(await nexus.token('azora-education'), { type: 'bearer' })
      .send({ events: [good, bad] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.validation_failed');
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'body.events.1.data.lessonId' })]);
    expect(await countEvents([good.id, bad.id])).toBe(0);
  });

  it('When an event has a type the catalog does not know, then it answers 400 naming the type', async () => {
    const unknown = lessonCompleted({ type: 'education.lesson.exploded' });
    const res = await request(nexus.app)
      .post('/events')
      .auth(await nexus.token('azora-education'), { type: 'bearer' })
      .send({ events: [unknown] });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'body.events.0.type' })]);
  });

  it('When the same event is published twice, then it is stored once and both answers give it the same seq', async () => {
    const event = lessonCompleted();
    const first = await nexus.publish('azora-education', [event]);
    const second = await nexus.publish('azora-education', [event, event]);
    expect(first).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(second).toMatchObject({ accepted: 0, duplicates: 2 });
    const seq = first.events[0]?.seq;
    expect(second.events).toEqual([
      { id: event.id, seq },
      { id: event.id, seq },
    ]);
    expect(await countEvents([event.id])).toBe(1);
  });

  it('When twenty publishers send overlapping batches at once, then the stored seqs are exactly 1..N with no gap', async () => {
    const start = (await storedEvents(nexus)).at(-1)?.seq ?? 0;
    const shared = Array.from({ length: 10 }, () => lessonCompleted());
    const batches = Array.from({ length: 20 }, (_, i) => [
      ...shared.slice(i % 5, (i % 5) + 3),
      ...Array.from({ length: 25 }, () => lessonCompleted()),
    ]);
    const answers = await Promise.all(batches.map((events) => nexus.publish('azora-education', events)));

    const distinct = new Set(batches.flat().map((e) => e.id)).size;
    const stored = await storedEvents(nexus, start);
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: distinct }, (_, i) => start + i + 1));
    expect(answers.reduce((sum, a) => sum + a.accepted, 0)).toBe(distinct);
    // Every answer names the one seq its id has in the log.
    const seqOf = new Map<string, number>();
    for (const { id, seq } of answers.flatMap((a) => a.events)) {
      expect(seqOf.get(id) ?? seq).toBe(seq);
      seqOf.set(id, seq);
    }
  });

  it('When a batch is accepted, then it counts received events by type and source, duplicates and the publish lag', async () => {
    const event = transferCompleted({ occurredAt: new Date(Date.now() - 2_000).toISOString() });
    await nexus.publish('azora-mint', [event, event]);
    const res = await request(nexus.app).get('/metrics');
    expect(
      sample(res.text, 'nexus_events_received_total', { type: 'mint.transfer.completed', source: 'azora-mint' }),
    ).toBe(1);
    expect(sample(res.text, 'nexus_events_duplicate_total', { source: 'azora-mint' })).toBe(1);
    expect(sample(res.text, 'nexus_publish_lag_seconds_count', { source: 'azora-mint' })).toBe(1);
    // occurredAt was two seconds before it arrived
    expect(sample(res.text, 'nexus_publish_lag_seconds_bucket', { source: 'azora-mint', le: '1' })).toBe(0);
  });
});

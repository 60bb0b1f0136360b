import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Subscription } from '@azora/contracts';
import { lessonCompleted } from './support/events';
import { describeEachBackend } from './support/backends';
import { startNexus, type Nexus } from './support/harness';

describeEachBackend('Subscriptions', (backend) => {
  let nexus: Nexus;

  beforeAll(async () => {
    nexus = await startNexus(undefined, { backend });
  });

  afterAll(async () => {
    await nexus.close();
  });

  const register = async (caller: string, body: Record<string, unknown>) =>
    request(nexus.app)
      .post('/subscriptions')
      .auth(await nexus.token(caller), { type: 'bearer' })
      .send(body);

  it('When a service registers the same endpoint twice, then it is one subscription with the same id and secret, topics updated', async () => {
    const endpoint = `http://127.0.0.1:9/${randomUUID()}`;
    const first = await register('azora-mint', { subscriber: 'azora-mint', topics: ['education.*'], endpoint });
    const second = await register('azora-mint', {
      subscriber: 'azora-mint',
      topics: ['education.*', 'pay.payment.succeeded'],
      endpoint,
    });

    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(Subscription.parse(first.body)).toMatchObject({
      subscriber: 'azora-mint',
      position: 0,
      pendingAttempts: 0,
      lastError: null,
    });
    expect(first.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.body).toMatchObject({
      id: first.body.id,
      secret: first.body.secret,
      topics: ['education.*', 'pay.payment.succeeded'],
    });
    const { rows } = await nexus.pool.query('SELECT id FROM subscriptions WHERE endpoint = $1', [endpoint]);
    expect(rows).toHaveLength(1);
  });

  it('When a service subscribes in the name of another, then it answers 403', async () => {
    const res = await register('azora-mint', {
      subscriber: 'notification-service',
      topics: ['*'],
      endpoint: 'http://127.0.0.1:9/x',
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('subscriptions.not_own');
  });

  it('When a topic is malformed, then it answers 400 naming the topic', async () => {
    const res = await register('azora-mint', {
      subscriber: 'azora-mint',
      topics: ['Education.*'],
      endpoint: 'http://127.0.0.1:9/x',
    });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'body.topics.0' })]);
  });

  it("When a subscription starts from 'now', then its position is the current end of the log", async () => {
    const published = await nexus.publish('azora-education', [lessonCompleted(), lessonCompleted()]);
    const res = await register('analytics-service', {
      subscriber: 'analytics-service',
      topics: ['*'],
      endpoint: `http://127.0.0.1:9/${randomUUID()}`,
      from: 'now',
    });
    expect(res.status).toBe(201);
    expect(res.body.position).toBeGreaterThanOrEqual(published.events[1]?.seq ?? Infinity);
  });

  it('When subscriptions are listed, then no secret is shown', async () => {
    await register('azora-forge', {
      subscriber: 'azora-forge',
      topics: ['education.course.completed'],
      endpoint: 'http://127.0.0.1:9/forge',
    });
    const res = await request(nexus.app)
      .get('/subscriptions?subscriber=azora-forge')
      .auth(await nexus.token('monitoring-service'), { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ subscriber: 'azora-forge', topics: ['education.course.completed'] });
    expect(res.body.items[0]).not.toHaveProperty('secret');
  });

  it('When another service deletes a subscription, then it answers 403 and the subscription stays; its owner deletes it with 204', async () => {
    const created = await register('notification-service', {
      subscriber: 'notification-service',
      topics: ['*'],
      endpoint: 'http://127.0.0.1:9/n',
    });
    const id = created.body.id as string;
    const foreign = await request(nexus.app)
      .delete(`/subscriptions/${id}`)
      .auth(await nexus.token('azora-mint'), { type: 'bearer' });
    expect(foreign.status).toBe(403);
    const own = await request(nexus.app)
      .delete(`/subscriptions/${id}`)
      .auth(await nexus.token('notification-service'), { type: 'bearer' });
    expect(own.status).toBe(204);
    const again = await request(nexus.app)
      .delete(`/subscriptions/${id}`)
      .auth(await nexus.token('notification-service'), { type: 'bearer' });
    expect(again.status).toBe(404);
  });

  it('When the id to delete is not a uuid, then it answers 400 naming params.id', async () => {
    const res = await request(nexus.app)
      .delete('/subscriptions/nope')
      .auth(await nexus.token('azora-mint'), { type: 'bearer' });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'params.id' })]);
  });

  it('When subscriptions are asked for without a token, then it answers 401', async () => {
    const res = await request(nexus.app).get('/subscriptions');
    expect(res.status).toBe(401);
  });
});

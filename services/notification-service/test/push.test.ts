// Web Push: a browser subscribes with the service's VAPID key, a notification reaches its push
// service encrypted for it alone, and a push service that says the subscription is gone (410)
// makes the service forget it.
import request from 'supertest';
import { startNotification, type Harness } from './support/harness';

describe('Web Push', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startNotification();
  });
  afterAll(() => h.close());

  async function enrolment(userId: string) {
    const event = h.event('education.enrollment.created', { courseId: crypto.randomUUID(), userId });
    const res = await h.deliver([event]);
    expect(res.status).toBe(200);
    return event;
  }

  it('When a front end asks for the public key, then it gets the VAPID key a browser subscribes with', async () => {
    const res = await request(h.app).get('/push/public-key');
    expect(res.status).toBe(200);
    expect(res.body.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
  });

  it('When a subscribed user is notified, then their push service receives a payload encrypted for their browser', async () => {
    // Arrange
    const user = await h.user();
    await h.register(user);
    const browser = h.push.browser();
    const subscribed = await request(h.app).post('/push-subscriptions').set(user.auth).send(browser.subscription);
    const before = h.push.received.length;

    // Act
    await enrolment(user.id);
    await h.drain();

    // Assert
    expect(subscribed.status).toBe(201);
    const received = h.push.received.slice(before);
    expect(received).toHaveLength(1);
    const push = received[0]!;
    expect(push.path).toBe(new URL(browser.subscription.endpoint).pathname);
    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(push.headers['authorization']).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(push.body.toString('latin1')).not.toContain('Enrolled');
    expect(browser.read(push)).toMatchObject({
      kind: 'enrollment',
      title: 'Enrolled in your course',
      body: 'Your first lesson is waiting for you.',
    });
  });

  it('When the push service answers 410, then the subscription is removed and the delivery fails', async () => {
    // Arrange
    const user = await h.user();
    await h.register(user);
    const browser = h.push.browser();
    await request(h.app).post('/push-subscriptions').set(user.auth).send(browser.subscription);
    h.push.answer(browser, 410);

    // Act
    await enrolment(user.id);
    await h.drain();

    // Assert
    const list = await request(h.app).get('/push-subscriptions').set(user.auth);
    expect(list.body.items).toEqual([]);
    const failed = (await h.outbox('notification.failed')).filter((e) => e.subject === user.id);
    expect(failed.map((e) => e.data['channel'])).toEqual(['push']);
  });

  it('When one of two browsers is gone, then the other still gets the message and only the gone one is removed', async () => {
    const user = await h.user();
    const gone = h.push.browser();
    const alive = h.push.browser();
    for (const b of [gone, alive]) await request(h.app).post('/push-subscriptions').set(user.auth).send(b.subscription);
    h.push.answer(gone, 404);

    await enrolment(user.id);
    await h.drain();

    const list = await request(h.app).get('/push-subscriptions').set(user.auth);
    expect(list.body.items.map((s: { endpoint: string }) => s.endpoint)).toEqual([alive.subscription.endpoint]);
    const delivered = (await h.outbox('notification.delivered')).filter((e) => e.subject === user.id);
    expect(delivered.map((e) => e.data['channel']).sort()).toEqual(['in_app', 'push']);
  });

  it('When the push service answers 503, then the message is tried again later', async () => {
    const user = await h.user();
    const browser = h.push.browser();
    await request(h.app).post('/push-subscriptions').set(user.auth).send(browser.subscription);
    h.push.answer(browser, 503);
    await enrolment(user.id);
    await h.drain();
    h.push.answer(browser, 201);
    h.clock.advance(3_600_000);

    const retried = await h.drain();

    expect(retried).toBe(1);
    const delivered = (await h.outbox('notification.delivered')).filter((e) => e.subject === user.id);
    expect(delivered.map((e) => e.data['channel']).sort()).toEqual(['in_app', 'push']);
  });

  it('When a browser subscribes again, then the same subscription is answered 200 and belongs to the latest user', async () => {
    const first = await h.user();
    const second = await h.user();
    const browser = h.push.browser();

    const a = await request(h.app).post('/push-subscriptions').set(first.auth).send(browser.subscription);
    const b = await request(h.app).post('/push-subscriptions').set(second.auth).send(browser.subscription);

    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    expect((await request(h.app).get('/push-subscriptions').set(first.auth)).body.items).toEqual([]);
    expect((await request(h.app).get('/push-subscriptions').set(second.auth)).body.items).toHaveLength(1);
  });

  it('When a user removes a subscription, then it is gone, and removing another user’s is 404', async () => {
    const owner = await h.user();
    const stranger = await h.user();
    const browser = h.push.browser();
    const created = await request(h.app).post('/push-subscriptions').set(owner.auth).send(browser.subscription);

    const byStranger = await request(h.app)
      .delete(`/push-subscriptions/${created.body.id as string}`)
      .set(stranger.auth);
    const byOwner = await request(h.app)
      .delete(`/push-subscriptions/${created.body.id as string}`)
      .set(owner.auth);

    expect(byStranger.status).toBe(404);
    expect(byStranger.body.code).toBe('push_subscription.not_found');
    expect(byOwner.status).toBe(204);
    expect((await request(h.app).get('/push-subscriptions').set(owner.auth)).body.items).toEqual([]);
  });

  it('When the endpoint is not a push service, then the subscription is refused and nothing is stored', async () => {
    const user = await h.user();
    const browser = h.push.browser();
    const internal = { ...browser.subscription, endpoint: 'https://10.0.0.5/admin/reset' };
    const plain = { ...browser.subscription, endpoint: 'http://127.0.0.1/push' };

    const refused = await request(h.app).post('/push-subscriptions').set(user.auth).send(internal);
    const notHttps = await request(h.app).post('/push-subscriptions').set(user.auth).send(plain);
    const noKeys = await request(h.app)
      .post('/push-subscriptions')
      .set(user.auth)
      .send({ endpoint: browser.subscription.endpoint });

    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('push_subscription.endpoint_not_allowed');
    expect(notHttps.status).toBe(400);
    expect(notHttps.body.issues.map((i: { path: string }) => i.path)).toContain('body.endpoint');
    expect(noKeys.status).toBe(400);
    expect((await request(h.app).get('/push-subscriptions').set(user.auth)).body.items).toEqual([]);
  });

  it('When a user without a subscription is notified, then no push job is made', async () => {
    const user = await h.user();
    await enrolment(user.id);

    const admin = await h.admin();
    const list = await request(h.app).get(`/deliveries?userId=${user.id}`).set(admin.auth);

    expect(list.status).toBe(200);
    expect(list.body.items.filter((d: { channel: string }) => d.channel === 'push')).toEqual([]);
  });
});

// Exactly once per event and channel: a redelivered event, the same event twice in one batch,
// and several workers draining one queue at once send nothing twice.
import request from 'supertest';
import { emailOf, startNotification, type Harness } from './support/harness';

describe('exactly once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startNotification();
  });
  afterAll(() => h.close());

  async function mailCount(address: string): Promise<number> {
    const admin = await h.admin();
    const res = await request(h.app)
      .get(`/mailbox?to=${encodeURIComponent(address)}&limit=100`)
      .set(admin.auth);
    return res.body.items.length;
  }

  it('When Nexus delivers an event again, then nothing is notified or sent twice', async () => {
    // Arrange
    const user = await h.user();
    const registered = await h.register(user);
    const browser = h.push.browser();
    await request(h.app).post('/push-subscriptions').set(user.auth).send(browser.subscription);
    const payment = h.event('pay.payment.refunded', {
      paymentId: crypto.randomUUID(),
      userId: user.id,
      purpose: 'tokens',
      amount: 500,
      currency: 'EUR',
    });
    const pushesBefore = h.push.received.length;

    // Act
    const first = await h.deliver([payment]);
    await h.drain();
    const again = await h.deliver([payment, registered]);
    const twiceInOneBatch = await h.deliver([
      h.event('education.enrollment.created', { courseId: crypto.randomUUID(), userId: user.id }, { id: payment.id }),
    ]);
    await h.drain();

    // Assert
    expect(first.body).toEqual({ handled: 1, duplicates: 0 });
    expect(again.body).toEqual({ handled: 0, duplicates: 2 });
    expect(twiceInOneBatch.body).toEqual({ handled: 0, duplicates: 1 });
    expect(await mailCount(emailOf(user))).toBe(2); // welcome, refund receipt
    expect(h.push.received.length - pushesBefore).toBe(1);
    const inbox = await request(h.app).get('/').set(user.auth);
    expect(inbox.body.items.map((n: { kind: string }) => n.kind)).toEqual(['payment_refunded', 'welcome']);
  });

  it('When the same event id comes twice in one batch, then it notifies once', async () => {
    const user = await h.user();
    const event = h.event('forge.job.completed', {
      jobId: crypto.randomUUID(),
      workerId: user.id,
      reward: 50,
      employerId: crypto.randomUUID(),
      employerVerified: true,
    });

    const res = await h.deliver([event, event]);

    expect(res.body).toEqual({ handled: 1, duplicates: 1 });
    expect((await request(h.app).get('/').set(user.auth)).body.items).toHaveLength(1);
  });

  it('When two instances drain the same queue at once, then every mail is sent exactly once', async () => {
    // Arrange
    const users = await Promise.all(Array.from({ length: 20 }, () => h.user()));
    for (const user of users) await h.register(user);
    const other = h.anotherInstance().service;

    // Act
    const [mine, theirs] = await Promise.all([h.service.worker.runOnce(), other.worker.runOnce()]);
    const rest = await h.drain();

    // Assert
    expect(mine + theirs + rest).toBe(users.length);
    for (const user of users) expect(await mailCount(emailOf(user))).toBe(1);
  });
});

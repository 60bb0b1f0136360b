// Preferences per kind and channel: defaults, switching one channel of one kind off, and the
// security-relevant mail that cannot be switched off.
import request from 'supertest';
import { emailOf, startNotification, type Harness } from './support/harness';

describe('notification preferences', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startNotification();
  });
  afterAll(() => h.close());

  async function mailsTo(address: string): Promise<Array<{ subject: string }>> {
    const admin = await h.admin();
    const res = await request(h.app)
      .get(`/mailbox?to=${encodeURIComponent(address)}`)
      .set(admin.auth);
    return res.body.items;
  }

  it('When a user has changed nothing, then every kind shows its defaults and the required mail is listed', async () => {
    const user = await h.user();

    const res = await request(h.app).get('/preferences').set(user.auth);

    expect(res.status).toBe(200);
    expect(res.body.preferences.enrollment).toEqual({ in_app: true, email: true, push: true });
    expect(res.body.preferences.tokens_earned).toEqual({ in_app: true, email: false, push: false });
    expect(res.body.required).toEqual([
      { kind: 'welcome', channel: 'email' },
      { kind: 'payment_succeeded', channel: 'email' },
      { kind: 'payment_refunded', channel: 'email' },
    ]);
  });

  it('When a user switches enrolment mail off, then an enrolment reaches their inbox and push but sends no mail', async () => {
    // Arrange
    const user = await h.user();
    await h.register(user);
    const browser = h.push.browser();
    await request(h.app).post('/push-subscriptions').set(user.auth).send(browser.subscription);
    await h.drain();
    const pushesBefore = h.push.received.length;

    // Act
    const changed = await request(h.app)
      .put('/preferences')
      .set(user.auth)
      .send({ preferences: { enrollment: { email: false } } });
    await h.deliver([h.event('education.enrollment.created', { courseId: crypto.randomUUID(), userId: user.id })]);
    await h.drain();

    // Assert
    expect(changed.status).toBe(200);
    expect(changed.body.preferences.enrollment).toEqual({ in_app: true, email: false, push: true });
    expect(changed.body.preferences.course_completed).toEqual({ in_app: true, email: true, push: true });
    expect((await mailsTo(emailOf(user))).map((m) => m.subject)).toEqual(['Welcome to Azora, Ada Lovelace']);
    expect(h.push.received.length - pushesBefore).toBe(1);
    const inbox = await request(h.app).get('/').set(user.auth);
    expect(inbox.body.items.map((n: { kind: string }) => n.kind)).toEqual(['enrollment', 'welcome']);
  });

  it('When a user switches a kind off in the inbox, then it is not listed there but its mail still goes out', async () => {
    const user = await h.user();
    await h.register(user);
    await request(h.app)
      .put('/preferences')
      .set(user.auth)
      .send({ preferences: { course_completed: { in_app: false } } });

    const courseId = crypto.randomUUID();
    await h.deliver([
      h.event('education.course.completed', {
        courseId,
        userId: user.id,
        skills: [],
        authorIds: [crypto.randomUUID()],
        rewardEligible: true,
      }),
    ]);
    await h.drain();

    const inbox = await request(h.app).get('/').set(user.auth);
    expect(inbox.body.items.map((n: { kind: string }) => n.kind)).toEqual(['welcome']);
    expect((await mailsTo(emailOf(user))).map((m) => m.subject).sort()).toEqual([
      'Welcome to Azora, Ada Lovelace',
      'You completed your course',
    ]);
  });

  it('When a user tries to switch off a payment receipt mail, then the answer is 422 and nothing changes', async () => {
    const user = await h.user();

    const res = await request(h.app)
      .put('/preferences')
      .set(user.auth)
      .send({ preferences: { enrollment: { push: false }, payment_succeeded: { email: false } } });
    const after = await request(h.app).get('/preferences').set(user.auth);

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'notification.preference_required',
      kind: 'payment_succeeded',
      channel: 'email',
    });
    expect(after.body.preferences.enrollment).toEqual({ in_app: true, email: true, push: true });
  });

  it('When a user switches every channel of payment receipts off but mail, then the receipt is still mailed', async () => {
    const user = await h.user();
    await h.register(user);
    await request(h.app)
      .put('/preferences')
      .set(user.auth)
      .send({ preferences: { payment_succeeded: { in_app: false, push: false } } });

    await h.deliver([
      h.event('pay.payment.succeeded', {
        paymentId: crypto.randomUUID(),
        userId: user.id,
        purpose: 'tokens',
        amount: 1250,
        currency: 'USD',
      }),
    ]);
    await h.drain();

    expect((await mailsTo(emailOf(user))).map((m) => m.subject)).toContain('Receipt: 12.50 USD for AZR tokens');
  });

  it('When preferences name an unknown kind or channel, or are not booleans, then the answer is 400 naming them', async () => {
    const user = await h.user();

    const unknownKind = await request(h.app)
      .put('/preferences')
      .set(user.auth)
      .send({ preferences: { newsletter: { email: false } } });
    const unknownChannel = await request(h.app)
      .put('/preferences')
      .set(user.auth)
      .send({ preferences: { enrollment: { sms: false } } });
    const notBoolean = await request(h.app)
      .put('/preferences')
      .set(user.auth)
      .send({ preferences: { enrollment: { email: 'no' } } });

    for (const res of [unknownKind, unknownChannel, notBoolean]) {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('request.validation_failed');
      expect(res.body.issues[0].path).toMatch(/^body\.preferences/);
    }
  });

  it('When nobody is signed in, then preferences answer 401', async () => {
    const res = await request(h.app).get('/preferences');
    expect(res.status).toBe(401);
  });
});

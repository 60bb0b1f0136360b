// What each consumed event tells whom: the kind, the words and the ids of each notification, and
// the events that tell nobody anything.
import request from 'supertest';
import { emailOf, startNotification, type Harness, type TestUser } from './support/harness';

describe('notifications from the events of the catalog', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startNotification();
  });
  afterAll(() => h.close());

  async function inbox(user: TestUser) {
    const res = await request(h.app).get('/').set(user.auth);
    return res.body.items as Array<{ kind: string; title: string; body: string; data: Record<string, unknown> }>;
  }

  async function subjects(user: TestUser): Promise<string[]> {
    await h.drain();
    const admin = await h.admin();
    const res = await request(h.app)
      .get(`/mailbox?to=${encodeURIComponent(emailOf(user))}`)
      .set(admin.auth);
    return (res.body.items as Array<{ subject: string }>).map((m) => m.subject);
  }

  it('When a user enrols in and completes a published course, then both notifications name the course', async () => {
    const user = await h.user();
    await h.register(user);
    const courseId = crypto.randomUUID();
    await h.deliver([h.event('education.course.published', { courseId, title: 'Rainwater <harvesting>', skills: [] })]);

    await h.deliver([
      h.event('education.enrollment.created', { courseId, userId: user.id }),
      h.event('education.course.completed', {
        courseId,
        userId: user.id,
        skills: ['water'],
        authorIds: [crypto.randomUUID()],
        rewardEligible: true,
      }),
    ]);

    expect((await inbox(user)).slice(0, 2)).toEqual([
      expect.objectContaining({
        kind: 'course_completed',
        title: 'Course completed: Rainwater <harvesting>',
        data: { courseId },
      }),
      expect.objectContaining({ kind: 'enrollment', title: 'Enrolled in Rainwater <harvesting>', data: { courseId } }),
    ]);
    expect((await subjects(user)).sort()).toEqual([
      'Welcome to Azora, Ada Lovelace',
      'You are enrolled in Rainwater <harvesting>',
      'You completed Rainwater <harvesting>',
    ]);
  });

  it('When tokens are transferred to a user, then the receiver is told who sent how much, and the sender nothing', async () => {
    const sender = await h.user();
    const receiver = await h.user();
    await h.register(sender, { name: 'Kofi' });
    await h.register(receiver);
    const transferId = crypto.randomUUID();

    await h.deliver([
      h.event('mint.transfer.completed', {
        transferId,
        from: `user:${sender.id}`,
        to: receiver.id,
        amount: 25,
        kind: 'transfer',
      }),
    ]);

    expect((await inbox(receiver))[0]).toMatchObject({
      kind: 'transfer_received',
      title: 'Kofi sent you 25 AZR',
      data: { transferId, amount: 25, fromUserId: sender.id },
    });
    expect((await inbox(sender)).map((n) => n.kind)).toEqual(['welcome']);
    expect(await subjects(receiver)).toContain('Kofi sent you 25 AZR');
  });

  it('When a reward is paid, then it is a tokens earned notice in the inbox but, by default, no mail', async () => {
    const user = await h.user();
    await h.register(user);

    await h.deliver([
      h.event('mint.transfer.completed', {
        transferId: crypto.randomUUID(),
        from: 'mint:treasury',
        to: `user:${user.id}`,
        amount: 10,
        kind: 'reward',
      }),
    ]);

    expect((await inbox(user))[0]).toMatchObject({ kind: 'tokens_earned', title: 'You earned 10 AZR' });
    expect(await subjects(user)).toEqual(['Welcome to Azora, Ada Lovelace']);
  });

  it('When Mint posts bookkeeping (escrow, top-ups), then nobody is notified of it', async () => {
    const user = await h.user();
    const postings = ['escrow_hold', 'escrow_release', 'topup'].map((kind) =>
      h.event('mint.transfer.completed', {
        transferId: crypto.randomUUID(),
        from: 'mint:treasury',
        to: user.id,
        amount: 5,
        kind,
      }),
    );

    const res = await h.deliver(postings);

    expect(res.body).toEqual({ handled: 3, duplicates: 0 });
    expect(await inbox(user)).toEqual([]);
  });

  it('When an application changes status, then the applicant is told the outcome; applying tells nobody', async () => {
    const user = await h.user();
    const base = { applicationId: crypto.randomUUID(), jobId: crypto.randomUUID(), userId: user.id };

    await h.deliver([
      h.event('forge.application.status_changed', { ...base, status: 'applied' }),
      h.event('forge.application.status_changed', { ...base, status: 'hired' }),
    ]);

    expect(await inbox(user)).toEqual([
      expect.objectContaining({
        kind: 'application_status',
        title: 'Application hired',
        body: 'Congratulations, you are hired!',
        data: { applicationId: base.applicationId, jobId: base.jobId, status: 'hired' },
      }),
    ]);
  });

  it('When a job is completed, then its worker is told the reward was released', async () => {
    const worker = await h.user();
    const jobId = crypto.randomUUID();

    await h.deliver([
      h.event('forge.job.completed', {
        jobId,
        workerId: worker.id,
        reward: 50,
        employerId: crypto.randomUUID(),
        employerVerified: false,
      }),
    ]);

    expect((await inbox(worker))[0]).toMatchObject({ kind: 'job_completed', data: { jobId, reward: 50 } });
  });

  it('When payments succeed, fail and are refunded, then each is told with its amount in its currency', async () => {
    const user = await h.user();
    await h.register(user);
    const courseId = crypto.randomUUID();
    await h.deliver([h.event('education.course.published', { courseId, title: 'Soil science', skills: [] })]);
    const payment = (amount: number, currency: string) => ({
      paymentId: crypto.randomUUID(),
      userId: user.id,
      purpose: 'course' as const,
      courseId,
      amount,
      currency,
    });

    await h.deliver([
      h.event('pay.payment.failed', payment(4999, 'USD')),
      h.event('pay.payment.succeeded', payment(4999, 'USD')),
      h.event('pay.payment.refunded', payment(500, 'JPY')),
    ]);

    expect((await subjects(user)).sort()).toEqual([
      'Receipt: 49.99 USD for the course "Soil science"',
      'Refund: 500 JPY for the course "Soil science"',
      'Welcome to Azora, Ada Lovelace',
      'Your payment of 49.99 USD did not go through',
    ]);
  });

  it('When an event comes from a service that does not own its type, then it is refused and notifies nobody', async () => {
    const user = await h.user();

    const res = await h.deliver([
      h.event(
        'pay.payment.succeeded',
        { paymentId: crypto.randomUUID(), userId: user.id, purpose: 'tokens', amount: 1, currency: 'USD' },
        { source: 'azora-forge' },
      ),
    ]);

    expect(res.body).toMatchObject({ handled: 0, refused: 1 });
    expect(await inbox(user)).toEqual([]);
  });

  it('When a user registers again with a new address, then later mail goes to the new address', async () => {
    const user = await h.user();
    await h.register(user, { email: 'old@example.test' });
    await h.drain();
    await h.register(user, { email: 'new@example.test' });

    await h.deliver([h.event('education.enrollment.created', { courseId: crypto.randomUUID(), userId: user.id })]);
    await h.drain();

    const admin = await h.admin();
    const toNew = await request(h.app).get('/mailbox?to=new@example.test').set(admin.auth);
    expect(toNew.body.items.map((m: { subject: string }) => m.subject)).toContain('You are enrolled in your course');
  });
});

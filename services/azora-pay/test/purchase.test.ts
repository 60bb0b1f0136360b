// Paying with the sandbox: Stripe's test payment methods, the webhook that follows each change,
// and the buyer's confirmation racing that webhook: every path ends in exactly one announcement.
import request from 'supertest';
import { checkoutCourse, checkoutTokens, confirm } from './support/flows';
import { startPay, type Harness } from './support/harness';

describe('paying with the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPay();
  });
  afterAll(() => h.close());

  const eventsOf = async (type: string, paymentId: string) =>
    (await h.outbox(type)).filter((e) => e.data.paymentId === paymentId);

  it('When the buyer confirms with pm_card_visa, then the payment succeeds and payment.succeeded is published once', async () => {
    const student = await h.user();
    const courseId = h.courses.add({ priceCents: 2500, currency: 'EUR' });
    const { paymentId } = await checkoutCourse(h, student, courseId);

    const confirmed = await confirm(h, student, paymentId, 'pm_card_visa');
    await h.deliverAll();

    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: paymentId, status: 'succeeded', failure: null });
    expect(await eventsOf('pay.payment.succeeded', paymentId)).toEqual([
      {
        type: 'pay.payment.succeeded',
        subject: student.id,
        data: { paymentId, userId: student.id, purpose: 'course', courseId, amount: 2500, currency: 'EUR' },
      },
    ]);
  });

  it('When a top-up is paid, then payment.succeeded carries purpose tokens and the price paid, without a course', async () => {
    const student = await h.user();
    const { paymentId } = await checkoutTokens(h, student, 100);

    await confirm(h, student, paymentId);
    await h.deliverAll();

    expect((await eventsOf('pay.payment.succeeded', paymentId)).map((e) => e.data)).toEqual([
      { paymentId, userId: student.id, purpose: 'tokens', amount: 200, currency: 'USD' },
    ]);
  });

  it('When the card is declined, then the payment fails with the reason, payment.failed is published, and nothing succeeds', async () => {
    const student = await h.user();
    const { paymentId } = await checkoutCourse(h, student, h.courses.add());

    const declined = await confirm(h, student, paymentId, 'pm_card_chargeDeclined');
    await h.deliverAll();

    expect(declined.body).toMatchObject({
      status: 'failed',
      failure: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
    });
    expect(await eventsOf('pay.payment.failed', paymentId)).toHaveLength(1);
    expect(await eventsOf('pay.payment.succeeded', paymentId)).toEqual([]);
  });

  it('When a declined buyer tries again with a good card, then the same payment succeeds', async () => {
    const student = await h.user();
    const { paymentId } = await checkoutCourse(h, student, h.courses.add());
    await confirm(h, student, paymentId, 'pm_card_chargeDeclinedInsufficientFunds');
    await h.deliverAll();

    const retried = await confirm(h, student, paymentId, 'pm_card_visa');
    await h.deliverAll();

    expect(retried.body).toMatchObject({ status: 'succeeded', failure: null });
    expect(await eventsOf('pay.payment.succeeded', paymentId)).toHaveLength(1);
  });

  it('When the card needs authentication, then the payment requires action and nothing is published', async () => {
    const student = await h.user();
    const { paymentId } = await checkoutCourse(h, student, h.courses.add());

    const res = await confirm(h, student, paymentId, 'pm_card_authenticationRequired');
    await h.deliverAll();

    expect(res.body.status).toBe('requires_action');
    expect((await h.outbox()).filter((e) => e.data.paymentId === paymentId)).toEqual([]);
  });

  it("When the buyer's confirmation races the webhook, then the payment is announced exactly once, every time", async () => {
    const student = await h.user();
    for (let round = 0; round < 20; round++) {
      const { paymentId } = await checkoutTokens(h, student, 50);
      h.take();
      // The sandbox queues its webhook as soon as its state changes; deliver it (twice) while
      // the confirmation is still settling the same payment.
      const confirming = confirm(h, student, paymentId);
      const racing = (async () => {
        while (h.captured.length === 0) await new Promise((resolve) => setImmediate(resolve));
        const [event] = h.take('payment_intent.succeeded');
        await Promise.all([h.deliver(event!), h.deliver(event!)]);
      })();
      const [confirmed] = await Promise.all([confirming, racing]);

      expect(confirmed.body.status).toBe('succeeded');
      expect(await eventsOf('pay.payment.succeeded', paymentId)).toHaveLength(1);
    }
  });

  it('When an unknown payment method is used, then 400 names body.paymentMethod and the payment is unchanged', async () => {
    const student = await h.user();
    const { paymentId } = await checkoutCourse(h, student, h.courses.add());

    const res = await confirm(h, student, paymentId, 'pm_card_madeUp');

    expect([res.status, res.body.code]).toEqual([400, 'payment.invalid_payment_method']);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'body.paymentMethod' })]);
    expect((await request(h.app).get(`/payments/${paymentId}`).set(student.auth)).body.status).toBe(
      'requires_payment_method',
    );
  });

  it('When a paid payment is confirmed again, then 409 and nothing more is published', async () => {
    const student = await h.user();
    const { paymentId } = await checkoutCourse(h, student, h.courses.add());
    await confirm(h, student, paymentId);

    const again = await confirm(h, student, paymentId);

    expect([again.status, again.body.code]).toEqual([409, 'payment.not_confirmable']);
    expect(await eventsOf('pay.payment.succeeded', paymentId)).toHaveLength(1);
  });

  it("When someone confirms another user's payment, then 404 and it stays unpaid", async () => {
    const owner = await h.user();
    const intruder = await h.user();
    const { paymentId } = await checkoutCourse(h, owner, h.courses.add());

    const res = await confirm(h, intruder, paymentId);

    expect([res.status, res.body.code]).toEqual([404, 'payment.not_found']);
    expect((await request(h.app).get(`/payments/${paymentId}`).set(owner.auth)).body.status).toBe(
      'requires_payment_method',
    );
  });
});

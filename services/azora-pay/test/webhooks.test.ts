// POST /webhooks/stripe: verified over the raw body, stored once per event id, applied in any
// order without resurrecting a payment, and kept when it names a payment not known yet.
import request from 'supertest';
import { STRIPE_WEBHOOK_PATH } from '@azora/contracts';
import type { PaymentProvider } from '../src/domain/ports';
import { signStripeWebhook } from '../src/providers/webhook-signature';
import { checkoutCourse, checkoutTokens, confirm, refund } from './support/flows';
import { startPay, WEBHOOK_SECRET, type Harness } from './support/harness';

describe('provider webhooks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPay();
  });
  afterAll(() => h.close());

  const eventsOf = async (type: string, paymentId: string) =>
    (await h.outbox(type)).filter((e) => e.data.paymentId === paymentId);
  const statusOf = async (paymentId: string) =>
    (await h.pool.query<{ status: string }>('SELECT status FROM payments WHERE id = $1', [paymentId])).rows[0]?.status;
  const storedEvents = async (id: string) =>
    (await h.pool.query('SELECT id, outcome FROM provider_events WHERE id = $1', [id])).rows;

  /** A paid payment whose succeeded webhook is held back by the test. */
  async function confirmedWithHeldWebhook() {
    const student = await h.user();
    const { paymentId } = await checkoutTokens(h, student, 100);
    h.take();
    const intent = (
      await h.pool.query<{ provider_payment_id: string }>('SELECT provider_payment_id FROM payments WHERE id = $1', [
        paymentId,
      ])
    ).rows[0]!.provider_payment_id;
    await h.ctx.provider.confirm!(intent, 'pm_card_visa');
    const [succeeded] = h.take('payment_intent.succeeded');
    return { student, paymentId, succeeded: succeeded! };
  }

  it('When a signed payment_intent.succeeded arrives, then the payment succeeds and the event is stored as applied', async () => {
    const { paymentId, succeeded } = await confirmedWithHeldWebhook();

    const res = await h.deliver(succeeded);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, duplicate: false });
    expect(await statusOf(paymentId)).toBe('succeeded');
    expect(await eventsOf('pay.payment.succeeded', paymentId)).toHaveLength(1);
    expect(await storedEvents(succeeded['id'] as string)).toEqual([{ id: succeeded['id'], outcome: 'applied' }]);
  });

  it('When the same event is delivered again, and concurrently, then it is acknowledged as a duplicate and applied once', async () => {
    const { paymentId, succeeded } = await confirmedWithHeldWebhook();

    const answers = await Promise.all([h.deliver(succeeded), h.deliver(succeeded), h.deliver(succeeded)]);
    const later = await h.deliver(succeeded);

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(later.body).toEqual({ received: true, duplicate: true });
    expect(await eventsOf('pay.payment.succeeded', paymentId)).toHaveLength(1);
  });

  it('When the signature is forged, then 400 and nothing changes', async () => {
    const { paymentId, succeeded } = await confirmedWithHeldWebhook();

    const forged = await h.deliver(succeeded, { secret: 'whsec_an_attackers_guess_of_the_secret' });
    const tampered = await request(h.app)
      .post(STRIPE_WEBHOOK_PATH)
      .set('content-type', 'application/json')
      .set('stripe-signature', 't=1,v1=deadbeef')
      .send(JSON.stringify(succeeded));
    const unsigned = await request(h.app).post(STRIPE_WEBHOOK_PATH).send(succeeded);

    for (const res of [forged, tampered, unsigned]) {
      expect([res.status, res.body.code]).toEqual([400, 'webhook.invalid_signature']);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await statusOf(paymentId)).toBe('requires_payment_method');
    expect(await storedEvents(succeeded['id'] as string)).toEqual([]);
  });

  it('When the body is changed after signing, then 400: the signature covers the raw bytes', async () => {
    const { paymentId, succeeded } = await confirmedWithHeldWebhook();
    const payload = JSON.stringify(succeeded, null, 2);
    const signature = signStripeWebhook(payload, WEBHOOK_SECRET, Math.floor(h.clock.now().getTime() / 1000));

    const res = await request(h.app)
      .post(STRIPE_WEBHOOK_PATH)
      .set('content-type', 'application/json')
      .set('stripe-signature', signature)
      .send(JSON.stringify(succeeded)); // same JSON, other bytes

    expect(res.status).toBe(400);
    expect(await statusOf(paymentId)).toBe('requires_payment_method');
  });

  it("When the signature's timestamp is older than Stripe's tolerance, then 400 and nothing changes", async () => {
    const { paymentId, succeeded } = await confirmedWithHeldWebhook();
    const now = Math.floor(h.clock.now().getTime() / 1000);

    const stale = await h.deliver(succeeded, { timestamp: now - 301 });
    const withinTolerance = await h.deliver(succeeded, { timestamp: now - 299 });

    expect([stale.status, stale.body.code]).toEqual([400, 'webhook.invalid_signature']);
    expect(stale.body.detail).toMatch(/tolerance/i);
    expect(withinTolerance.status).toBe(200);
    expect(await statusOf(paymentId)).toBe('succeeded');
  });

  it('When a signed body is not a Stripe event, then 400 invalid_payload and nothing is stored', async () => {
    const res = await h.deliver({ hello: 'world' });

    expect([res.status, res.body.code]).toEqual([400, 'webhook.invalid_payload']);
  });

  it('When an event type Pay does not act on arrives, then it is acknowledged and stored as ignored', async () => {
    const event = {
      id: 'evt_ignored_1',
      object: 'event',
      type: 'customer.created',
      created: 1,
      data: { object: { id: 'cus_1', object: 'customer' } },
    };

    const res = await h.deliver(event);

    expect(res.status).toBe(200);
    expect(await storedEvents('evt_ignored_1')).toEqual([{ id: 'evt_ignored_1', outcome: 'ignored' }]);
  });

  it('When succeeded arrives after the payment was refunded, then it stays refunded and nothing is announced again', async () => {
    const { paymentId, succeeded } = await confirmedWithHeldWebhook();
    const admin = await h.user('admin');
    await h.deliver(succeeded);
    await refund(h, admin, paymentId);
    await h.deliverAll();
    const replayed = { ...succeeded, id: 'evt_late_success_copy' };

    const res = await h.deliver(replayed);

    expect(res.status).toBe(200);
    expect(await statusOf(paymentId)).toBe('refunded');
    expect(await eventsOf('pay.payment.succeeded', paymentId)).toHaveLength(1);
    expect(await eventsOf('pay.payment.refunded', paymentId)).toHaveLength(1);
  });

  it('When payment_failed arrives after the payment succeeded, then it stays succeeded', async () => {
    const student = await h.user();
    const { paymentId } = await checkoutCourse(h, student, h.courses.add());
    await confirm(h, student, paymentId, 'pm_card_chargeDeclined');
    const [failed] = h.take('payment_intent.payment_failed');
    await confirm(h, student, paymentId, 'pm_card_visa');
    await h.deliverAll();

    await h.deliver(failed!);

    expect(await statusOf(paymentId)).toBe('succeeded');
    expect(await eventsOf('pay.payment.failed', paymentId)).toHaveLength(1);
  });

  it('When the refund is heard before the success, then the payment ends refunded and consumers are told nothing', async () => {
    const { paymentId, succeeded } = await confirmedWithHeldWebhook();
    const intent = (succeeded['data'] as { object: { id: string } }).object.id;
    // The refund made at the provider (say, its dashboard) before Pay heard of the success.
    await h.ctx.provider.refund({
      intentId: intent,
      amount: 200,
      reason: null,
      idempotencyKey: 'dash-1',
      metadata: {},
    });
    const [refunded] = h.take('refund.created');

    await h.deliver(refunded!);
    await h.deliver(succeeded);

    expect(await statusOf(paymentId)).toBe('refunded');
    expect(await eventsOf('pay.payment.succeeded', paymentId)).toEqual([]);
    expect(await eventsOf('pay.payment.refunded', paymentId)).toEqual([]);
  });
});

describe('a webhook that arrives before its payment knows its intent', () => {
  let h: Harness;
  // The provider announces the intent's success while checkout is still waiting on it: the
  // webhook comes before the payment has recorded which intent is its own.
  let early: 'with-metadata' | 'without-metadata' = 'with-metadata';
  beforeAll(async () => {
    h = await startPay({
      provider: (sandbox): PaymentProvider => ({
        ...sandbox,
        async createIntent(input) {
          const intent = await sandbox.createIntent(early === 'with-metadata' ? input : { ...input, metadata: {} });
          await sandbox.confirm!(intent.id, 'pm_card_visa');
          const [event] = h.take('payment_intent.succeeded');
          const res = await h.deliver(event!);
          if (res.status !== 200) throw new Error(`early webhook answered ${res.status}`);
          return intent;
        },
      }),
    });
  });
  afterAll(() => h.close());

  it.each(['with-metadata', 'without-metadata'] as const)(
    'When it names the payment %s, then the payment ends succeeded and is announced exactly once',
    async (variant) => {
      early = variant;
      const student = await h.user();

      const res = await request(h.app).post('/checkout').set(student.auth).send({ purpose: 'tokens', amount: 100 });
      await h.deliverAll();

      expect(res.status).toBe(201);
      expect(res.body.status).toBe('succeeded');
      const announced = (await h.outbox('pay.payment.succeeded')).filter(
        (e) => e.data.paymentId === res.body.paymentId,
      );
      expect(announced).toHaveLength(1);
      const outcomes = await h.pool.query('SELECT outcome FROM provider_events WHERE payment_id = $1', [
        res.body.paymentId,
      ]);
      expect(outcomes.rows.every((r) => r.outcome === 'applied')).toBe(true);
    },
  );
});

// Paying through the gateway, as a front end does: the typed client against the real gateway,
// Pay (with its sandbox provider), Education, Mint and Nexus processes. Purchases end in exactly
// one enrolment or credit whatever the provider's webhooks do; refunds undo them.
import { createHmac, randomUUID } from 'node:crypto';
import { createPool } from '@azora/service-kit';
import { AzoraApiError, createAzoraClient, paymentRequired, type AzoraClient } from '@azora/shared-api';
import { createTestDatabase, waitFor, type TestDatabase } from '@azora/testing';
import { ADMIN, startPlatform, type Platform } from './support/platform';

// Known to the test so it can sign webhooks as the sandbox (and Stripe) do.
const WEBHOOK_SECRET = `whsec_${randomUUID().replace(/-/g, '')}`;
const SLOW = { timeoutMs: 20_000 };

describe('payments through the gateway', () => {
  let db: TestDatabase;
  let platform: Platform;
  let admin: AzoraClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    platform = await startPlatform(db, ['azora-education', 'azora-mint', 'azora-pay'], {
      // One AZR costs one cent on both sides of the top-up.
      'azora-pay': {
        PAY_SANDBOX_WEBHOOK_SECRET: WEBHOOK_SECRET,
        PAY_TOKEN_PRICE_MINOR_UNITS: '1',
        PAY_TOKEN_MIN_AMOUNT: '50',
        // Reconcile whatever is open as soon as Pay starts (the crash test below relies on it).
        PAY_RECONCILE_MIN_AGE_MS: '0',
      },
      'azora-mint': { MINT_TOPUP_MINOR_UNITS_PER_AZR: '1' },
    });
    admin = client();
    await admin.auth.login(ADMIN);
  });
  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  });

  const client = () => createAzoraClient({ baseUrl: platform.gatewayUrl });
  const email = (who: string) => `${who}-${randomUUID().slice(0, 8)}@azora.test`;

  async function signedUp(role: 'student' | 'instructor') {
    const user = client();
    const { user: me } = await user.auth.register({ email: email(role), password: 'paying-is-42', name: role, role });
    await waitFor(async () => expect((await user.mint.wallet()).balance).toBe(0), { ...SLOW, what: 'the wallet' });
    return { api: user, id: me.id };
  }

  async function paidCourse(priceCents = 2500) {
    const instructor = await signedUp('instructor');
    const course = await instructor.api.education.createCourse({
      title: `Soil science ${randomUUID().slice(0, 6)}`,
      description: 'How healthy soil feeds a farm',
      priceCents,
      currency: 'USD',
      skills: ['agronomy'],
    });
    const lesson = await instructor.api.education.addLesson(course.id, { title: 'Soil', content: 'Humus.' });
    await instructor.api.education.publishCourse(course.id);
    return { course, lesson };
  }

  const activeEnrolments = async (student: AzoraClient, courseId: string) =>
    (await student.education.myEnrollments()).items.filter((e) => e.courseId === courseId && e.status === 'active');

  /** A Stripe-Signature header over `payload`: `t=<seconds>,v1=<HMAC-SHA256 of "t.payload">`. */
  const signature = (payload: string, secret = WEBHOOK_SECRET, at = Math.floor(Date.now() / 1000)) =>
    `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${payload}`).digest('hex')}`;

  const postWebhook = (payload: string, header: string) =>
    fetch(`${platform.gatewayUrl}/api/pay/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload,
    });

  /** A payment_intent.succeeded event about `payment`, as the provider would send it. */
  async function succeededEvent(
    student: AzoraClient,
    paymentId: string,
    eventId = `evt_${randomUUID().replace(/-/g, '')}`,
  ) {
    const payment = await student.pay.getPayment(paymentId);
    return JSON.stringify({
      id: eventId,
      object: 'event',
      type: 'payment_intent.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: payment.providerPaymentId,
          object: 'payment_intent',
          amount: payment.amount,
          currency: payment.currency.toLowerCase(),
          status: 'succeeded',
          metadata: { paymentId },
          last_payment_error: null,
        },
      },
    });
  }

  it('When a student buys a course with pm_card_visa, then Education enrols them exactly once', async () => {
    const { course, lesson } = await paidCourse(2500);
    const student = await signedUp('student');

    const refused = await student.api.education.enroll(course.id).catch((e: unknown) => e);
    const offer = paymentRequired(refused);
    const checkout = await student.api.pay.checkout({ purpose: 'course', courseId: course.id });
    const confirmed = await student.api.pay.confirmPayment(checkout.paymentId, { paymentMethod: 'pm_card_visa' });

    expect(offer).toMatchObject({ priceCents: 2500, checkout: { body: { purpose: 'course', courseId: course.id } } });
    expect(checkout).toMatchObject({ amount: 2500, currency: 'USD', status: 'requires_payment_method' });
    expect(checkout.clientSecret).toMatch(/^pi_/);
    expect(confirmed.status).toBe('succeeded');
    await waitFor(async () => expect(await activeEnrolments(student.api, course.id)).toHaveLength(1), SLOW);
    await student.api.education.completeLesson(course.id, lesson.id);
    const again = await student.api.pay.checkout({ purpose: 'course', courseId: course.id }).catch((e: unknown) => e);
    expect(again).toMatchObject({ status: 409, code: 'checkout.already_owned' });
  });

  it('When the card is declined, then the payment fails and nothing is enrolled; a good card then enrols once', async () => {
    const { course } = await paidCourse();
    const { course: witness } = await paidCourse();
    const student = await signedUp('student');

    const { paymentId } = await student.api.pay.checkout({ purpose: 'course', courseId: course.id });
    const declined = await student.api.pay.confirmPayment(paymentId, { paymentMethod: 'pm_card_chargeDeclined' });
    // Nexus delivers Pay's events in order: once a later purchase is enrolled, the decline has been seen.
    const later = await student.api.pay.checkout({ purpose: 'course', courseId: witness.id });
    await student.api.pay.confirmPayment(later.paymentId, { paymentMethod: 'pm_card_visa' });
    await waitFor(async () => expect(await activeEnrolments(student.api, witness.id)).toHaveLength(1), SLOW);

    expect(declined).toMatchObject({ status: 'failed', failure: { code: 'card_declined' } });
    expect(await activeEnrolments(student.api, course.id)).toEqual([]);

    const retried = await student.api.pay.confirmPayment(paymentId, { paymentMethod: 'pm_card_visa' });
    expect(retried.status).toBe('succeeded');
    await waitFor(async () => expect(await activeEnrolments(student.api, course.id)).toHaveLength(1), SLOW);
  });

  it('When a student tops up tokens, then the wallet is credited once; a refund takes them back', async () => {
    const student = await signedUp('student');

    const checkout = await student.api.pay.checkout({ purpose: 'tokens', amount: 150 });
    await student.api.pay.confirmPayment(checkout.paymentId, { paymentMethod: 'pm_card_visa' });
    await waitFor(async () => expect((await student.api.mint.wallet()).balance).toBe(150), SLOW);

    const refund = await admin.pay.refundPayment(checkout.paymentId, {}, { idempotencyKey: randomUUID() });

    expect(checkout.amount).toBe(150);
    expect(refund.payment).toMatchObject({ status: 'refunded', amountRefunded: 150 });
    await waitFor(async () => expect((await student.api.mint.wallet()).balance).toBe(0), SLOW);
  });

  it('When a course payment is refunded, then Education revokes the enrolment', async () => {
    const { course } = await paidCourse();
    const student = await signedUp('student');
    const { paymentId } = await student.api.pay.checkout({ purpose: 'course', courseId: course.id });
    await student.api.pay.confirmPayment(paymentId, { paymentMethod: 'pm_card_visa' });
    await waitFor(async () => expect(await activeEnrolments(student.api, course.id)).toHaveLength(1), SLOW);

    const key = randomUUID();
    const refund = await admin.pay.refundPayment(
      paymentId,
      { reason: 'requested_by_customer' },
      { idempotencyKey: key },
    );
    const replay = await admin.pay.refundPayment(
      paymentId,
      { reason: 'requested_by_customer' },
      { idempotencyKey: key },
    );

    expect(replay.refund.id).toBe(refund.refund.id);
    await waitFor(async () => {
      const mine = (await student.api.education.myEnrollments()).items.find((e) => e.courseId === course.id);
      expect(mine?.status).toBe('revoked');
    }, SLOW);
  });

  it('When many top-ups are confirmed at once, each racing its own webhook, then each is credited exactly once', async () => {
    const student = await signedUp('student');

    const checkouts = await Promise.all(
      Array.from({ length: 10 }, () => student.api.pay.checkout({ purpose: 'tokens', amount: 50 })),
    );
    await Promise.all(
      checkouts.map((c) => student.api.pay.confirmPayment(c.paymentId, { paymentMethod: 'pm_card_visa' })),
    );
    // Events are delivered in order: once a last top-up is credited, every earlier one has been.
    const last = await student.api.pay.checkout({ purpose: 'tokens', amount: 77 });
    await student.api.pay.confirmPayment(last.paymentId, { paymentMethod: 'pm_card_visa' });
    await waitFor(async () => expect((await student.api.mint.wallet()).balance).toBeGreaterThanOrEqual(577), SLOW);

    expect((await student.api.mint.wallet()).balance).toBe(577);
    const topUps = (await student.api.mint.transactions({ limit: 100 })).items.filter((t) => t.kind === 'topup');
    expect(topUps).toHaveLength(11);
  });

  it('When a webhook is delivered twice through the gateway, then it is applied once', async () => {
    const student = await signedUp('student');
    const checkout = await student.api.pay.checkout({ purpose: 'tokens', amount: 60 });
    await student.api.pay.confirmPayment(checkout.paymentId, { paymentMethod: 'pm_card_visa' });
    await waitFor(async () => expect((await student.api.mint.wallet()).balance).toBe(60), SLOW);
    const payload = await succeededEvent(student.api, checkout.paymentId);

    const first = await postWebhook(payload, signature(payload));
    const second = await postWebhook(payload, signature(payload));

    expect([first.status, await first.json()]).toEqual([200, { received: true, duplicate: false }]);
    expect([second.status, await second.json()]).toEqual([200, { received: true, duplicate: true }]);
    const witness = await student.api.pay.checkout({ purpose: 'tokens', amount: 50 });
    await student.api.pay.confirmPayment(witness.paymentId, { paymentMethod: 'pm_card_visa' });
    await waitFor(async () => expect((await student.api.mint.wallet()).balance).toBeGreaterThanOrEqual(110), SLOW);
    expect((await student.api.mint.wallet()).balance).toBe(110);
  });

  it('When a webhook is forged or stale, then the gateway passes on a 400 and the payment does not change', async () => {
    const student = await signedUp('student');
    const checkout = await student.api.pay.checkout({ purpose: 'tokens', amount: 70 });
    const payload = await succeededEvent(student.api, checkout.paymentId);

    const forged = await postWebhook(payload, signature(payload, 'whsec_guessed_by_an_attacker'));
    const stale = await postWebhook(payload, signature(payload, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600));

    for (const res of [forged, stale]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'webhook.invalid_signature' });
    }
    expect((await student.api.pay.getPayment(checkout.paymentId)).status).toBe('requires_payment_method');
  });

  it('When a succeeded event arrives after the refund, then the payment stays refunded', async () => {
    const student = await signedUp('student');
    const checkout = await student.api.pay.checkout({ purpose: 'tokens', amount: 80 });
    await student.api.pay.confirmPayment(checkout.paymentId, { paymentMethod: 'pm_card_visa' });
    await admin.pay.refundPayment(checkout.paymentId, {}, { idempotencyKey: randomUUID() });
    const late = await succeededEvent(student.api, checkout.paymentId);

    const res = await postWebhook(late, signature(late));

    expect(res.status).toBe(200);
    expect((await student.api.pay.getPayment(checkout.paymentId)).status).toBe('refunded');
  });

  it("When a course checkout names its own amount, then it is refused; the price is always the course's", async () => {
    const { course } = await paidCourse(4900);
    const student = await signedUp('student');

    const tampered = await student.api.pay
      .checkout({ purpose: 'course', courseId: course.id, amount: 1 } as never)
      .catch((e: unknown) => e);
    const honest = await student.api.pay.checkout({ purpose: 'course', courseId: course.id });

    expect(tampered).toBeInstanceOf(AzoraApiError);
    expect(tampered).toMatchObject({ status: 400 });
    expect(honest.amount).toBe(4900);
  });

  it("When a user asks for another user's payment, then 404", async () => {
    const owner = await signedUp('student');
    const other = await signedUp('student');
    const { paymentId } = await owner.api.pay.checkout({ purpose: 'tokens', amount: 50 });

    const seen = await other.api.pay.getPayment(paymentId).catch((e: unknown) => e);

    expect(seen).toMatchObject({ status: 404, code: 'payment.not_found' });
    expect((await owner.api.pay.listPayments()).items.map((p) => p.id)).toContain(paymentId);
    expect((await other.api.pay.listPayments()).items.map((p) => p.id)).not.toContain(paymentId);
  });

  it('When Pay crashes after the provider took the money but before it heard, then it settles on restart and credits once', async () => {
    const student = await signedUp('student');
    const checkout = await student.api.pay.checkout({ purpose: 'tokens', amount: 90 });
    const intentId = (await student.api.pay.getPayment(checkout.paymentId)).providerPaymentId;
    const pay = platform.service('azora-pay');

    await pay.kill();
    // At the provider, the buyer's card went through; its webhook died with Pay.
    const providerSide = createPool({ connectionString: db.urlFor('pay'), schema: 'pay', max: 1 });
    try {
      await providerSide.query(
        `UPDATE sandbox_intents SET status = 'succeeded', payment_method = 'pm_card_visa' WHERE id = $1`,
        [intentId],
      );
    } finally {
      await providerSide.end();
    }
    await pay.restart();

    await waitFor(
      async () => expect((await student.api.pay.getPayment(checkout.paymentId)).status).toBe('succeeded'),
      SLOW,
    );
    await waitFor(async () => expect((await student.api.mint.wallet()).balance).toBe(90), SLOW);
  });
});

// Refunds by admins: full or partial, once per Idempotency-Key, never more than was paid, and
// pay.payment.refunded once, when the payment is refunded in full.
import request from 'supertest';
import { findPayment } from '../src/db/payments';
import { checkoutCourse, paidCourse, refund } from './support/flows';
import { startPay, type Harness } from './support/harness';

describe('refunds', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPay();
  });
  afterAll(() => h.close());

  const refundedEvents = async (paymentId: string) =>
    (await h.outbox('pay.payment.refunded')).filter((e) => e.data.paymentId === paymentId);

  it('When an admin refunds a paid course in full, then the payment is refunded and payment.refunded carries the amount', async () => {
    const [student, admin] = [await h.user(), await h.user('admin')];
    const { courseId, paymentId } = await paidCourse(h, student, 2500);

    const res = await refund(h, admin, paymentId, { reason: 'requested_by_customer' });
    await h.deliverAll();

    expect(res.status).toBe(201);
    expect(res.body.refund).toMatchObject({
      paymentId,
      amount: 2500,
      currency: 'EUR',
      status: 'succeeded',
      reason: 'requested_by_customer',
      providerRefundId: expect.stringMatching(/^re_/),
    });
    expect(res.body.payment).toMatchObject({ status: 'refunded', amountRefunded: 2500 });
    expect((await refundedEvents(paymentId)).map((e) => e.data)).toEqual([
      { paymentId, userId: student.id, purpose: 'course', courseId, amount: 2500, currency: 'EUR' },
    ]);
  });

  it('When a payment is refunded in two parts, then it is partially refunded, then refunded, and announced once', async () => {
    const [student, admin] = [await h.user(), await h.user('admin')];
    const { paymentId } = await paidCourse(h, student, 2500);

    const first = await refund(h, admin, paymentId, { amount: 1000 });
    await h.deliverAll();
    const afterFirst = await refundedEvents(paymentId);
    const rest = await refund(h, admin, paymentId);
    await h.deliverAll();

    expect(first.body.payment).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
    expect(afterFirst).toEqual([]);
    expect(rest.body.refund.amount).toBe(1500);
    expect(rest.body.payment).toMatchObject({ status: 'refunded', amountRefunded: 2500 });
    expect(await refundedEvents(paymentId)).toHaveLength(1);
  });

  it('When the sandbox provider is asked for one refund several times at once, then it refunds once and answers each the same', async () => {
    const student = await h.user();
    const { paymentId } = await paidCourse(h, student, 2500);
    const intentId = (await findPayment(h.ctx.pool, paymentId))?.providerPaymentId as string;
    const ask = () =>
      h.ctx.provider.refund({
        intentId,
        amount: 400,
        reason: null,
        idempotencyKey: `azora-refund-concurrent-${paymentId}`,
        metadata: { paymentId },
      });

    // Connections open as in a service that has been running, so the eight really run at once.
    await Promise.all(Array.from({ length: 8 }, () => h.ctx.pool.query('SELECT 1')));
    const answers = await Promise.allSettled(Array.from({ length: 8 }, ask));

    expect(answers.map((a) => a.status)).toEqual(Array(8).fill('fulfilled'));
    const ids = answers.map((a) => (a as PromiseFulfilledResult<{ id: string }>).value.id);
    expect(new Set(ids).size).toBe(1);
    const { rows } = await h.ctx.pool.query(`SELECT amount_refunded FROM sandbox_intents WHERE id = $1`, [intentId]);
    expect(Number(rows[0].amount_refunded)).toBe(400);
  });

  it('When the same Idempotency-Key is sent again, then the same refund is answered and nothing more is paid back', async () => {
    const [student, admin] = [await h.user(), await h.user('admin')];
    const { paymentId } = await paidCourse(h, student, 2500);

    const answers = await Promise.all([1, 2, 3].map(() => refund(h, admin, paymentId, { amount: 500 }, 'refund-once')));
    const again = await refund(h, admin, paymentId, { amount: 500 }, 'refund-once');
    const changed = await refund(h, admin, paymentId, { amount: 700 }, 'refund-once');

    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.refund.id)).size).toBe(1);
    expect([again.status, again.body.refund.id]).toEqual([200, answers[0]!.body.refund.id]);
    expect([changed.status, changed.body.code]).toEqual([409, 'idempotency.key_reused']);
    const payment = await request(h.app).get(`/payments/${paymentId}`).set(student.auth);
    expect(payment.body).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
  });

  it('When concurrent refunds with different keys ask for more than was paid, then only what was paid is refunded', async () => {
    const [student, admin] = [await h.user(), await h.user('admin')];
    const { paymentId } = await paidCourse(h, student, 2500);

    const answers = await Promise.all([1, 2, 3, 4].map((n) => refund(h, admin, paymentId, { amount: 1000 }, `k-${n}`)));

    expect(answers.filter((a) => a.status === 201)).toHaveLength(2);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual([
      'refund.exceeds_remaining',
      'refund.exceeds_remaining',
    ]);
    const payment = await request(h.app).get(`/payments/${paymentId}`).set(student.auth);
    expect(payment.body.amountRefunded).toBe(2000);
  });

  it('When more than what is left is asked, then 409 names what is left', async () => {
    const [student, admin] = [await h.user(), await h.user('admin')];
    const { paymentId } = await paidCourse(h, student, 2500);

    const res = await refund(h, admin, paymentId, { amount: 2501 });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'refund.exceeds_remaining', remaining: 2500 });
  });

  it('When the payment is not paid, or already refunded in full, then 409 not_refundable', async () => {
    const [student, admin] = [await h.user(), await h.user('admin')];
    const { paymentId: unpaid } = await checkoutCourse(h, student, h.courses.add());
    const { paymentId: paid } = await paidCourse(h, student);
    await refund(h, admin, paid);

    const ofUnpaid = await refund(h, admin, unpaid);
    const twice = await refund(h, admin, paid);

    expect([ofUnpaid.status, ofUnpaid.body.code]).toEqual([409, 'payment.not_refundable']);
    expect([twice.status, twice.body.code]).toEqual([409, 'payment.not_refundable']);
  });

  it('When a student or an instructor asks for a refund, then 403 and nothing changes', async () => {
    const student = await h.user();
    const { paymentId } = await paidCourse(h, student);

    const byStudent = await refund(h, student, paymentId);
    const byInstructor = await refund(h, await h.user('instructor'), paymentId);

    expect([byStudent.status, byInstructor.status]).toEqual([403, 403]);
    expect((await request(h.app).get(`/payments/${paymentId}`).set(student.auth)).body.amountRefunded).toBe(0);
  });

  it('When the Idempotency-Key is missing or malformed, then 400', async () => {
    const [student, admin] = [await h.user(), await h.user('admin')];
    const { paymentId } = await paidCourse(h, student);

    const missing = await request(h.app).post(`/payments/${paymentId}/refund`).set(admin.auth).send({});
    const malformed = await request(h.app)
      .post(`/payments/${paymentId}/refund`)
      .set(admin.auth)
      .set('idempotency-key', 'has spaces in it')
      .send({});

    expect([missing.status, missing.body.code]).toEqual([400, 'idempotency.key_required']);
    expect([malformed.status, malformed.body.code]).toEqual([400, 'idempotency.key_invalid']);
  });

  it('When an unknown payment is refunded, then 404', async () => {
    const res = await refund(h, await h.user('admin'), '00000000-0000-4000-8000-000000000001');

    expect([res.status, res.body.code]).toEqual([404, 'payment.not_found']);
  });

  it("When the provider's refund webhooks arrive after the answer, then nothing is counted twice", async () => {
    const [student, admin] = [await h.user(), await h.user('admin')];
    const { paymentId } = await paidCourse(h, student, 2500);

    await refund(h, admin, paymentId, { amount: 1000 });
    const webhooks = h.take();
    for (const event of [...webhooks, ...webhooks.map((e) => ({ ...e, id: `${e['id']}_copy` }))])
      await h.deliver(event);

    const payment = await request(h.app).get(`/payments/${paymentId}`).set(student.auth);
    expect(payment.body).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
  });

  it('When a refund is made at the provider (its dashboard), then its webhook records it and the payment follows', async () => {
    const student = await h.user();
    const { paymentId } = await paidCourse(h, student, 2500);
    const intentId = (await request(h.app).get(`/payments/${paymentId}`).set(student.auth)).body.providerPaymentId;

    await h.ctx.provider.refund({
      intentId,
      amount: 2500,
      reason: 'duplicate',
      idempotencyKey: 'dashboard',
      metadata: {},
    });
    await h.deliverAll();

    const payment = await request(h.app).get(`/payments/${paymentId}`).set(student.auth);
    expect(payment.body).toMatchObject({ status: 'refunded', amountRefunded: 2500 });
    expect(await refundedEvents(paymentId)).toHaveLength(1);
    const refunds = await h.pool.query('SELECT amount, reason, idempotency_key FROM refunds WHERE payment_id = $1', [
      paymentId,
    ]);
    expect(refunds.rows).toEqual([{ amount: 2500, reason: 'duplicate', idempotency_key: null }]);
  });
});

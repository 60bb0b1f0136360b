// Checkout: the price comes from Education (courses) or configuration (tokens), never from the
// client; one open checkout per course; a course bought once cannot be bought again.
import request from 'supertest';
import { checkoutCourse, paidCourse } from './support/flows';
import { startPay, type Harness } from './support/harness';

describe('checkout', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPay();
  });
  afterAll(() => h.close());

  const payments = async (userId: string) =>
    (await h.pool.query('SELECT id, amount, currency, status FROM payments WHERE user_id = $1', [userId])).rows;

  it("When a student checks out a course, then the payment is for Education's price with a Stripe-like intent", async () => {
    const courseId = h.courses.add({ priceCents: 4200, currency: 'EUR' });
    const student = await h.user();

    const res = await request(h.app).post('/checkout').set(student.auth).send({ purpose: 'course', courseId });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      paymentId: expect.any(String),
      clientSecret: expect.stringMatching(/^pi_[A-Za-z0-9]{24}_secret_[A-Za-z0-9]+$/),
      status: 'requires_payment_method',
      amount: 4200,
      currency: 'EUR',
      provider: 'sandbox',
    });
    const payment = await request(h.app).get(`/payments/${res.body.paymentId}`).set(student.auth);
    expect(payment.body).toMatchObject({
      purpose: 'course',
      courseId,
      amount: 4200,
      providerPaymentId: expect.stringMatching(/^pi_/),
    });
  });

  it('When a course checkout names its own amount or price, then it is a 400 naming the field and nothing is written', async () => {
    const courseId = h.courses.add({ priceCents: 4200 });
    const student = await h.user();

    const withAmount = await request(h.app)
      .post('/checkout')
      .set(student.auth)
      .send({ purpose: 'course', courseId, amount: 1 });
    const withPrice = await request(h.app)
      .post('/checkout')
      .set(student.auth)
      .send({ purpose: 'course', courseId, priceCents: 1, currency: 'USD' });

    expect([withAmount.status, withAmount.body.code]).toEqual([400, 'request.validation_failed']);
    expect(JSON.stringify(withAmount.body.issues)).toContain('amount');
    expect(withPrice.status).toBe(400);
    expect(await payments(student.id)).toEqual([]);
  });

  it('When tokens are bought, then the price is the configured price per AZR', async () => {
    const student = await h.user();

    const res = await request(h.app).post('/checkout').set(student.auth).send({ purpose: 'tokens', amount: 150 });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: 300, currency: 'USD' });
    const payment = await request(h.app).get(`/payments/${res.body.paymentId}`).set(student.auth);
    expect(payment.body).toMatchObject({ purpose: 'tokens', tokens: 150, courseId: null });
  });

  it.each([
    [9, 'below the minimum'],
    [1_001, 'above the maximum'],
  ])('When a top-up of %s AZR is asked (%s), then it is a 400 naming body.amount', async (amount) => {
    const student = await h.user();

    const res = await request(h.app).post('/checkout').set(student.auth).send({ purpose: 'tokens', amount });

    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'body.amount' })]);
    expect(await payments(student.id)).toEqual([]);
  });

  it.each([
    [{ purpose: 'tokens', amount: 0 }],
    [{ purpose: 'tokens', amount: 10.5 }],
    [{ purpose: 'tokens' }],
    [{ purpose: 'course', courseId: 'not-a-uuid' }],
    [{ purpose: 'gift', amount: 10 }],
    [{}],
  ])('When the body is %j, then it is a 400', async (body) => {
    const student = await h.user();

    const res = await request(h.app).post('/checkout').set(student.auth).send(body);

    expect([res.status, res.body.code]).toEqual([400, 'request.validation_failed']);
  });

  it('When the course is unknown or a draft, then 404; when it is free, then 409 course_free', async () => {
    const student = await h.user();
    const draft = h.courses.add({ published: false });
    const free = h.courses.add({ priceCents: 0 });

    const unknown = await request(h.app)
      .post('/checkout')
      .set(student.auth)
      .send({ purpose: 'course', courseId: '00000000-0000-4000-8000-000000000000' });
    const ofDraft = await request(h.app)
      .post('/checkout')
      .set(student.auth)
      .send({ purpose: 'course', courseId: draft });
    const ofFree = await request(h.app).post('/checkout').set(student.auth).send({ purpose: 'course', courseId: free });

    expect([unknown.status, unknown.body.code]).toEqual([404, 'checkout.course_not_found']);
    expect([ofDraft.status, ofDraft.body.code]).toEqual([404, 'checkout.course_not_found']);
    expect([ofFree.status, ofFree.body.code]).toEqual([409, 'checkout.course_free']);
  });

  it('When a student checks out a course twice before paying, then both answers are the same payment', async () => {
    const courseId = h.courses.add();
    const student = await h.user();

    const answers = await Promise.all(
      [1, 2, 3].map(() => request(h.app).post('/checkout').set(student.auth).send({ purpose: 'course', courseId })),
    );

    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.paymentId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.clientSecret)).size).toBe(1);
    expect(await payments(student.id)).toHaveLength(1);
  });

  it('When a student checks out a course already bought, then 409 already_owned names the payment', async () => {
    const student = await h.user();
    const { courseId, paymentId } = await paidCourse(h, student);

    const again = await request(h.app).post('/checkout').set(student.auth).send({ purpose: 'course', courseId });

    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'checkout.already_owned', courseId, paymentId });
  });

  it('When the same Idempotency-Key is sent again, then the same payment; with another purchase, then 409', async () => {
    const student = await h.user();
    const send = (body: object) =>
      request(h.app).post('/checkout').set(student.auth).set('idempotency-key', 'top-up-1').send(body);

    const first = await send({ purpose: 'tokens', amount: 100 });
    const again = await send({ purpose: 'tokens', amount: 100 });
    const other = await send({ purpose: 'tokens', amount: 200 });

    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.paymentId).toBe(first.body.paymentId);
    expect([other.status, other.body.code]).toEqual([409, 'idempotency.key_reused']);
    expect(await payments(student.id)).toHaveLength(1);
  });

  it('When Education cannot be reached, then 503 with Retry-After and nothing is written', async () => {
    const student = await h.user();
    h.courses.down = true;
    try {
      const res = await request(h.app)
        .post('/checkout')
        .set(student.auth)
        .send({ purpose: 'course', courseId: h.courses.add() });

      expect([res.status, res.body.code]).toEqual([503, 'service.dependency_unavailable']);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      h.courses.down = false;
    }
    expect(await payments(student.id)).toEqual([]);
  });

  it('When nobody is signed in, then checkout is 401', async () => {
    const res = await request(h.app).post('/checkout').send({ purpose: 'tokens', amount: 100 });

    expect(res.status).toBe(401);
  });

  it('When the same checkout is retried, then the provider is asked with the same idempotency key and one intent exists', async () => {
    const student = await h.user();
    const { paymentId } = await checkoutCourse(h, student, h.courses.add());

    const intents = await h.pool.query(
      `SELECT idempotency_key FROM sandbox_intents WHERE metadata->>'paymentId' = $1`,
      [paymentId],
    );

    expect(intents.rows).toEqual([{ idempotency_key: `azora-payment-${paymentId}` }]);
  });
});

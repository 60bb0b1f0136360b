// Pay with Stripe configured: checkout creates the intent at Stripe (a local stand-in for its
// API), Stripe's refusals are problems with Retry-After, and the sandbox's confirm does not exist.
import request from 'supertest';
import { createStripeProvider } from '../src/providers/stripe-provider';
import { fakeStripe, intentBody, type FakeStripe } from './support/fake-stripe';
import { startPay, type Harness } from './support/harness';

describe('Pay with Stripe configured', () => {
  let stripe: FakeStripe;
  let h: Harness;
  beforeAll(async () => {
    stripe = await fakeStripe();
    h = await startPay({
      provider: () =>
        createStripeProvider({
          secretKey: 'sk_test_pay_app',
          webhookSecret: 'whsec_test_app',
          api: { host: '127.0.0.1', port: stripe.port, protocol: 'http' },
          maxNetworkRetries: 0,
        }),
    });
  });
  afterAll(async () => {
    await h.close();
    await stripe.close();
  });

  it('When a course is checked out, then the intent is made at Stripe for its price with a key derived from the payment', async () => {
    const buyer = await h.user();
    const courseId = h.courses.add({ priceCents: 2500, currency: 'EUR' });
    stripe.answer(200, intentBody({ id: 'pi_3App', client_secret: 'pi_3App_secret_x' }));

    const res = await request(h.app).post('/checkout').set(buyer.auth).send({ purpose: 'course', courseId });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ clientSecret: 'pi_3App_secret_x', provider: 'stripe', amount: 2500 });
    expect(stripe.seen.at(-1)!.headers['idempotency-key']).toBe(`azora-payment-${res.body.paymentId}`);
    expect(stripe.seen.at(-1)!.body).toMatchObject({ amount: '2500', currency: 'eur', metadata: { courseId } });
  });

  it('When Stripe rate-limits the checkout, then 503 with Retry-After', async () => {
    const buyer = await h.user();
    stripe.answer(
      429,
      { error: { type: 'invalid_request_error', message: 'Too many requests' } },
      { 'retry-after': '3' },
    );

    const res = await request(h.app).post('/checkout').set(buyer.auth).send({ purpose: 'tokens', amount: 100 });

    expect([res.status, res.body.code, res.headers['retry-after']]).toEqual([503, 'payment.provider_unavailable', '3']);
  });

  it('When the sandbox-only confirm is called, then it does not exist', async () => {
    const buyer = await h.user();

    const res = await request(h.app)
      .post('/payments/6f1c1c1e-0c1a-4c1a-9c1a-1c1a1c1a1c1a/confirm')
      .set(buyer.auth)
      .send({ paymentMethod: 'pm_card_visa' });

    expect([res.status, res.body.code]).toEqual([404, 'route.not_found']);
  });
});

// The Stripe adapter with the real SDK, against a local HTTP server standing in for
// api.stripe.com: the requests it sends, and what it makes of Stripe's error answers.
import { ProviderFailure, type PaymentProvider } from '../src/domain/ports';
import { createStripeProvider } from '../src/providers/stripe-provider';
import { fakeStripe, intentBody, type FakeStripe } from './support/fake-stripe';

describe('the Stripe adapter', () => {
  let stripe: FakeStripe;
  let provider: PaymentProvider;
  beforeAll(async () => {
    stripe = await fakeStripe();
    provider = createStripeProvider({
      secretKey: 'sk_test_pay_adapter',
      webhookSecret: 'whsec_test_adapter',
      api: { host: '127.0.0.1', port: stripe.port, protocol: 'http' },
      maxNetworkRetries: 0,
      timeoutMs: 5_000,
    });
  });
  afterAll(() => stripe.close());
  beforeEach(() => stripe.seen.splice(0));

  it('When an intent is created, then the SDK POSTs the amount, currency, metadata and idempotency key with the secret key', async () => {
    stripe.answer(200, intentBody());

    const intent = await provider.createIntent({
      paymentId: '6f1c1c1e-0c1a-4c1a-9c1a-1c1a1c1a1c1a',
      amount: 2500,
      currency: 'EUR',
      idempotencyKey: 'azora-payment-6f1c',
      metadata: { paymentId: '6f1c1c1e-0c1a-4c1a-9c1a-1c1a1c1a1c1a', purpose: 'course' },
    });

    expect(stripe.seen).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/payment_intents',
        body: {
          amount: '2500',
          currency: 'eur',
          metadata: { paymentId: '6f1c1c1e-0c1a-4c1a-9c1a-1c1a1c1a1c1a', purpose: 'course' },
          automatic_payment_methods: { enabled: 'true' },
        },
      }),
    ]);
    expect(stripe.seen[0]!.headers['authorization']).toBe('Bearer sk_test_pay_adapter');
    expect(stripe.seen[0]!.headers['idempotency-key']).toBe('azora-payment-6f1c');
    expect(intent).toEqual({
      id: 'pi_3Test',
      clientSecret: 'pi_3Test_secret_abc',
      status: 'requires_payment_method',
      amount: 2500,
      currency: 'EUR',
      paymentId: '6f1c1c1e-0c1a-4c1a-9c1a-1c1a1c1a1c1a',
      lastError: null,
    });
  });

  it('When an intent is read, then GET /v1/payment_intents/:id, and its decline is reported', async () => {
    stripe.answer(
      200,
      intentBody({
        last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'No funds.' },
      }),
    );

    const intent = await provider.retrieveIntent('pi_3Test');

    expect(stripe.seen.map((s) => [s.method, s.path])).toEqual([['GET', '/v1/payment_intents/pi_3Test']]);
    expect(intent.lastError).toEqual({
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'No funds.',
    });
  });

  it('When a refund is created, then POST /v1/refunds names the intent, the amount and our ids', async () => {
    stripe.answer(200, {
      id: 're_1',
      object: 'refund',
      amount: 1000,
      currency: 'eur',
      status: 'succeeded',
      payment_intent: 'pi_3Test',
      metadata: { refundId: 'a3bb189e-8bf9-4888-9912-ace4e6543002', paymentId: '6f1c1c1e-0c1a-4c1a-9c1a-1c1a1c1a1c1a' },
      reason: 'requested_by_customer',
    });

    const refund = await provider.refund({
      intentId: 'pi_3Test',
      amount: 1000,
      reason: 'requested_by_customer',
      idempotencyKey: 'azora-refund-a3bb',
      metadata: { refundId: 'a3bb189e-8bf9-4888-9912-ace4e6543002' },
    });

    expect(stripe.seen[0]).toMatchObject({
      method: 'POST',
      path: '/v1/refunds',
      body: { payment_intent: 'pi_3Test', amount: '1000', reason: 'requested_by_customer' },
    });
    expect(stripe.seen[0]!.headers['idempotency-key']).toBe('azora-refund-a3bb');
    expect(refund).toMatchObject({ id: 're_1', status: 'succeeded', intentId: 'pi_3Test', amount: 1000 });
  });

  const failureOf = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return error as ProviderFailure;
    }
    throw new Error('expected a failure');
  };

  it.each([
    [
      402,
      'card_declined',
      { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Declined' },
    ],
    [429, 'unavailable', { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' }],
    [500, 'unavailable', { type: 'api_error', message: 'Something went wrong' }],
    [
      409,
      'unavailable',
      {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message: 'Another request with this key is running',
      },
    ],
    [
      400,
      'invalid_request',
      {
        type: 'idempotency_error',
        message: 'Keys for idempotent requests can only be reused with the same parameters',
      },
    ],
    [401, 'misconfigured', { type: 'invalid_request_error', message: 'Invalid API Key' }],
    [
      400,
      'invalid_request',
      { type: 'invalid_request_error', code: 'amount_too_small', param: 'amount', message: 'Too small' },
    ],
  ])('When Stripe answers %s, then the failure is %s', async (status, kind, error) => {
    stripe.answer(status, { error }, status === 429 ? { 'retry-after': '7' } : undefined);

    const failure = await failureOf(provider.retrieveIntent('pi_3Test'));

    expect(failure).toBeInstanceOf(ProviderFailure);
    expect(failure.kind).toBe(kind);
    if (status === 429) expect(failure.details.retryAfterSeconds).toBe(7);
  });

  it('When the connection drops before an answer, then the failure is unavailable', async () => {
    stripe.hangUp();

    const failure = await failureOf(provider.retrieveIntent('pi_3Test'));

    expect([failure.kind, failure.name]).toEqual(['unavailable', 'ProviderFailure']);
  });
});

// The pay namespace: each method calls its route under /api/pay with the contract's types, and
// checkout and refund carry an Idempotency-Key (the caller's, or a fresh one per call).
import type * as C from '@azora/contracts';
import type { z } from 'zod';
import { createAzoraClient, type AzoraClient } from '../src';
import { startFakeGateway, type FakeGateway, type RecordedRequest } from './support/fake-gateway';
import { newUser } from './support/users';
import { assertType, type Arg, type Equal, type Result } from './support/type-assertions';

type Pay = AzoraClient['pay'];

// Request and response types are the contracts' own (checked when this file compiles).
assertType<Equal<Arg<Pay['checkout']>, z.input<typeof C.CheckoutRequest>>>();
assertType<Equal<Result<Pay['checkout']>, z.output<typeof C.CheckoutResponse>>>();
assertType<Equal<Arg<Pay['confirmPayment'], 1>, z.input<typeof C.ConfirmPaymentRequest>>>();
assertType<Equal<Result<Pay['confirmPayment']>, z.output<typeof C.Payment>>>();
assertType<Equal<Result<Pay['getPayment']>, z.output<typeof C.Payment>>>();
assertType<Equal<Arg<Pay['listPayments']>, z.input<typeof C.PaymentListQuery> | undefined>>();
assertType<Equal<Result<Pay['listPayments']>, z.output<typeof C.PaymentPage>>>();
assertType<Equal<Arg<Pay['refundPayment'], 1>, z.input<typeof C.RefundRequest> | undefined>>();
assertType<Equal<Result<Pay['refundPayment']>, z.output<typeof C.RefundResult>>>();

let gateway: FakeGateway;
let client: AzoraClient;
const id = '0b6f7b1e-2f4c-4d8e-9a1b-3c5d7e9f1a2b';

beforeAll(async () => {
  gateway = await startFakeGateway();
  client = createAzoraClient({ baseUrl: gateway.url });
  await client.auth.register(newUser());
});
afterAll(() => gateway.close());

async function sent(call: () => Promise<unknown>): Promise<RecordedRequest> {
  const before = gateway.recorded.length;
  await call();
  return gateway.recorded[before]!;
}

describe('pay', () => {
  it('When a course is checked out, then POST /api/pay/checkout carries the course and a fresh Idempotency-Key', async () => {
    const first = await sent(() => client.pay.checkout({ purpose: 'course', courseId: id }));
    const second = await sent(() => client.pay.checkout({ purpose: 'course', courseId: id }));

    expect([first.method, first.path, first.body]).toEqual([
      'POST',
      '/api/pay/checkout',
      { purpose: 'course', courseId: id },
    ]);
    expect(first.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers['idempotency-key']).not.toBe(first.headers['idempotency-key']);
  });

  it('When the caller gives a key, then checkout and refund send it as it is', async () => {
    const checkout = await sent(() =>
      client.pay.checkout({ purpose: 'tokens', amount: 100 }, { idempotencyKey: 'buy-1' }),
    );
    const refund = await sent(() => client.pay.refundPayment(id, { amount: 500 }, { idempotencyKey: 'refund-1' }));

    expect(checkout.headers['idempotency-key']).toBe('buy-1');
    expect([refund.method, refund.path, refund.body, refund.headers['idempotency-key']]).toEqual([
      'POST',
      `/api/pay/payments/${id}/refund`,
      { amount: 500 },
      'refund-1',
    ]);
  });

  it('When a refund names no amount, then the body is empty (refund what is left) and a key is still sent', async () => {
    const refund = await sent(() => client.pay.refundPayment(id));

    expect(refund.body).toEqual({});
    expect(refund.headers['idempotency-key']).toBeDefined();
  });

  it('When a payment is confirmed, read or listed, then the routes are those of the contract', async () => {
    const confirm = await sent(() => client.pay.confirmPayment(id, { paymentMethod: 'pm_card_visa' }));
    const read = await sent(() => client.pay.getPayment(id));
    const list = await sent(() => client.pay.listPayments({ status: 'succeeded', limit: 5 }));

    expect([confirm.method, confirm.path, confirm.body]).toEqual([
      'POST',
      `/api/pay/payments/${id}/confirm`,
      { paymentMethod: 'pm_card_visa' },
    ]);
    expect([read.method, read.path]).toEqual(['GET', `/api/pay/payments/${id}`]);
    expect([list.method, list.path, list.query]).toEqual([
      'GET',
      '/api/pay/payments',
      { status: 'succeeded', limit: '5' },
    ]);
  });

  it('When a payment id holds characters that mean something in a path, then they are encoded', async () => {
    const read = await sent(() => client.pay.getPayment('../admin'));

    expect(read.path).toBe('/api/pay/payments/..%2Fadmin');
  });
});

// pay: checkout and payments, under /api/pay. The Stripe webhook route is for Stripe, not clients.
import type * as C from '@azora/contracts';
import { type Input, type Output } from '../contract-types';
import { withIdempotencyKey } from '../idempotency';
import { path, type RequestOptions, type Transport } from '../transport';

const BASE = '/api/pay';

export interface PayOptions extends RequestOptions {
  /**
   * Sent as the Idempotency-Key header: the same key answers the same checkout or refund, so keep
   * it to retry one whose outcome you did not see. Generated when not given.
   */
  idempotencyKey?: string | undefined;
}

export function createPayApi(transport: Transport) {
  return {
    /**
     * POST /checkout {purpose: "course", courseId} or {purpose: "tokens", amount} → 201 (200 with the
     * open checkout of the same course): `clientSecret` is for Stripe.js. A course's price comes
     * from Education: a course checkout sends no amount.
     */
    checkout(
      body: Input<typeof C.CheckoutRequest>,
      options: PayOptions = {},
    ): Promise<Output<typeof C.CheckoutResponse>> {
      return transport.call(withIdempotencyKey({ method: 'POST', path: `${BASE}/checkout`, body }, options), options);
    },

    /** POST /payments/:id/confirm {paymentMethod}: the sandbox provider only (e.g. "pm_card_visa"). */
    confirmPayment(
      paymentId: string,
      body: Input<typeof C.ConfirmPaymentRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.Payment>> {
      return transport.call({ method: 'POST', path: BASE + path`/payments/${paymentId}/confirm`, body }, options);
    },

    /** GET /payments/:id: the caller's payment (any payment for an admin). */
    getPayment(paymentId: string, options?: RequestOptions): Promise<Output<typeof C.Payment>> {
      return transport.call({ method: 'GET', path: BASE + path`/payments/${paymentId}` }, options);
    },

    /** GET /payments?cursor=&limit=&status=: the caller's payments, newest first. */
    listPayments(
      query?: Input<typeof C.PaymentListQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.PaymentPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/payments`, query }, options);
    },

    /** POST /payments/:id/refund {amount?, reason?} (admin) with an Idempotency-Key; without amount, what is left. */
    refundPayment(
      paymentId: string,
      body: Input<typeof C.RefundRequest> = {},
      options: PayOptions = {},
    ): Promise<Output<typeof C.RefundResult>> {
      return transport.call(
        withIdempotencyKey({ method: 'POST', path: BASE + path`/payments/${paymentId}/refund`, body }, options),
        options,
      );
    },
  };
}

export type PayApi = ReturnType<typeof createPayApi>;

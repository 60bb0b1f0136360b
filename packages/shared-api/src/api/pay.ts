// pay: checkout and payments, under /api/pay. Typed once its contract lands in
// @azora/contracts (see pending-contracts.ts). The Stripe webhook route is for Stripe, not clients.
import { type PendingQuery, type PendingRequest, type PendingResponse } from '../pending-contracts';
import { path, type RequestOptions, type Transport } from '../transport';

const BASE = '/api/pay';

export function createPayApi(transport: Transport) {
  return {
    /** POST /checkout {purpose: course|tokens, courseId?, amount?} → {paymentId, clientSecret, status}. */
    checkout(
      body: PendingRequest<'POST /api/pay/checkout'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'POST /api/pay/checkout'>> {
      return transport.call({ method: 'POST', path: `${BASE}/checkout`, body }, options);
    },

    /** POST /payments/:id/confirm {paymentMethod}: the sandbox provider only. */
    confirmPayment(
      paymentId: string,
      body: PendingRequest<'POST /api/pay/payments/:id/confirm'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'POST /api/pay/payments/:id/confirm'>> {
      return transport.call({ method: 'POST', path: BASE + path`/payments/${paymentId}/confirm`, body }, options);
    },

    /** GET /payments/:id. */
    getPayment(paymentId: string, options?: RequestOptions): Promise<PendingResponse<'GET /api/pay/payments/:id'>> {
      return transport.call({ method: 'GET', path: BASE + path`/payments/${paymentId}` }, options);
    },

    /** GET /payments: the caller's payments. */
    listPayments(
      query?: PendingQuery<'GET /api/pay/payments'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'GET /api/pay/payments'>> {
      return transport.call({ method: 'GET', path: `${BASE}/payments`, query }, options);
    },

    /** POST /payments/:id/refund (admin). */
    refundPayment(
      paymentId: string,
      body?: PendingRequest<'POST /api/pay/payments/:id/refund'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'POST /api/pay/payments/:id/refund'>> {
      return transport.call({ method: 'POST', path: BASE + path`/payments/${paymentId}/refund`, body }, options);
    },
  };
}

export type PayApi = ReturnType<typeof createPayApi>;

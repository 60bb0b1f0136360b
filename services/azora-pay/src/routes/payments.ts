// HTTP for payments after checkout: read one, list the caller's own, refund (admins).
import { Payment, PaymentListQuery, PaymentPage, PaymentParams, RefundRequest, RefundResult } from '@azora/contracts';
import { idempotencyKeyOf, type Api } from '@azora/service-kit';
import { toPayment, toRefund } from '../domain/views';
import type { PayContext } from '../use-cases/context';
import { getPayment, myPayments } from '../use-cases/payments';
import { refundPayment } from '../use-cases/refunds';
import { callerOf } from './caller';

const tags = ['payments'];

export function paymentRoutes(api: Api, ctx: PayContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/payments/:id',
      summary: 'A payment (its buyer or an admin)',
      description: 'Anyone else gets 404: a payment is not confirmed to exist.',
      tags,
      access: 'user',
      params: PaymentParams,
      responses: { 200: Payment },
    },
    async ({ params }, req, res) => {
      res.json(toPayment(await getPayment(ctx, callerOf(req), params.id)));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/payments',
      summary: "The caller's payments, newest first",
      tags,
      access: 'user',
      query: PaymentListQuery,
      responses: { 200: PaymentPage },
    },
    async ({ query }, req, res) => {
      const page = await myPayments(ctx, callerOf(req), query);
      res.json({ items: page.items.map(toPayment), nextCursor: page.nextCursor });
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/payments/:id/refund',
      summary: 'Refund a payment in full or in part (admins)',
      description:
        'Without `amount`, whatever is left. 201 with a new refund; 200 with the refund made earlier with the same Idempotency-Key. `pay.payment.refunded` is published when the payment is refunded in full (consumers then revoke the course or take the tokens back); a partial refund keeps the purchase.',
      tags,
      access: ['admin'],
      params: PaymentParams,
      body: RefundRequest,
      headers: {
        'Idempotency-Key': {
          required: true,
          description: 'The same key is the same refund: a retry never pays back twice.',
        },
      },
      responses: { 200: RefundResult, 201: RefundResult },
    },
    async ({ params, body }, req, res) => {
      const key = idempotencyKeyOf(req, { required: true, why: 'a retried refund cannot pay back twice' });
      const result = await refundPayment(ctx, callerOf(req), {
        paymentId: params.id,
        amount: body.amount,
        reason: body.reason,
        idempotencyKey: key,
      });
      res
        .status(result.created ? 201 : 200)
        .json({ refund: toRefund(result.refund), payment: toPayment(result.payment) });
    },
  );
}

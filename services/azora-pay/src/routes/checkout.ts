// HTTP for buying: checkout, and the sandbox's confirmation step.
import { CheckoutRequest, CheckoutResponse, ConfirmPaymentRequest, Payment, PaymentParams } from '@azora/contracts';
import { idempotencyKeyOf, type Api } from '@azora/service-kit';
import { toPayment } from '../domain/views';
import { checkout } from '../use-cases/checkout';
import { confirmPayment } from '../use-cases/confirm';
import type { PayContext } from '../use-cases/context';
import { callerOf } from './caller';

const tags = ['checkout'];

export function checkoutRoutes(api: Api, ctx: PayContext): void {
  api.endpoint(
    {
      method: 'post',
      path: '/checkout',
      summary: 'Start paying for a course or for AZR tokens',
      description:
        "A course's price comes from Education (a course checkout takes no amount); tokens cost the configured price per AZR. 201 with a new payment; 200 with the buyer's open checkout of the same course, or the payment of an earlier request with the same Idempotency-Key. 409 `checkout.already_owned` for a course already bought.",
      tags,
      access: 'user',
      body: CheckoutRequest,
      headers: {
        'Idempotency-Key': { required: false, description: 'The same key answers the same payment (retry safely).' },
      },
      responses: { 200: CheckoutResponse, 201: CheckoutResponse },
    },
    async ({ body }, req, res) => {
      const key = idempotencyKeyOf(req, { required: false }) ?? undefined;
      const result = await checkout(ctx, callerOf(req), body, key);
      res.status(result.created ? 201 : 200).json({
        paymentId: result.payment.id,
        clientSecret: result.clientSecret,
        status: result.payment.status,
        amount: result.payment.amount,
        currency: result.payment.currency,
        provider: result.payment.provider,
      });
    },
  );

  // Stripe.js confirms with the real provider; this route exists only with the sandbox.
  if (!ctx.provider.confirm) return;
  api.endpoint(
    {
      method: 'post',
      path: '/payments/:id/confirm',
      summary: 'Confirm a payment with a test payment method (sandbox only)',
      description:
        "Stripe's test payment methods: `pm_card_visa` succeeds, `pm_card_chargeDeclined` fails, `pm_card_authenticationRequired` needs action. A failed or action-needing payment may be confirmed again.",
      tags,
      access: 'user',
      params: PaymentParams,
      body: ConfirmPaymentRequest,
      responses: { 200: Payment },
    },
    async ({ params, body }, req, res) => {
      res.json(toPayment(await confirmPayment(ctx, callerOf(req), params.id, body.paymentMethod)));
    },
  );
}

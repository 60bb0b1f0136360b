// The sandbox's stand-in for Stripe.js: the buyer confirms with one of Stripe's test payment
// methods, and the outcome is settled here at once, while the sandbox's webhook for the same
// change races it to the same row lock; whichever comes first settles and publishes, once.
import { withTransaction } from '@azora/service-kit';
import { findPayment } from '../db/payments';
import { notConfirmable, paymentNotFound, providerProblem, unknownPaymentMethod } from '../domain/errors';
import { ProviderFailure, type ProviderIntent } from '../domain/ports';
import type { PaymentRecord } from '../domain/records';
import type { Caller, PayContext } from './context';
import { applyIntent } from './settle';

const CONFIRMABLE = new Set(['requires_payment_method', 'requires_action', 'failed']);

export async function confirmPayment(
  ctx: PayContext,
  caller: Caller,
  paymentId: string,
  paymentMethod: string,
): Promise<PaymentRecord> {
  const confirm = ctx.provider.confirm;
  if (!confirm) throw new Error('confirm is the sandbox provider only');
  const payment = await findPayment(ctx.pool, paymentId);
  // Only the buyer confirms; to anyone else the payment does not exist.
  if (!payment || payment.userId !== caller.user.id) throw paymentNotFound(paymentId);
  if (!CONFIRMABLE.has(payment.status) || !payment.providerPaymentId) throw notConfirmable(paymentId, payment.status);
  let intent: ProviderIntent;
  try {
    intent = await confirm(payment.providerPaymentId, paymentMethod);
  } catch (error) {
    if (!(error instanceof ProviderFailure)) throw error;
    if (error.details.param === 'payment_method') throw unknownPaymentMethod(paymentMethod);
    if (error.details.code === 'payment_intent_unexpected_state') {
      const now = await findPayment(ctx.pool, paymentId);
      throw notConfirmable(paymentId, now?.status ?? payment.status);
    }
    throw providerProblem(error);
  }
  return withTransaction(ctx.pool, async (tx) => {
    const locked = (await findPayment(tx, paymentId, { lock: true })) as PaymentRecord;
    return applyIntent(ctx, tx, locked, intent, { requestId: caller.requestId });
  });
}

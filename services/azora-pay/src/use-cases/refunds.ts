// Refunds (admins): full or partial, once per Idempotency-Key. The refund is recorded as pending
// under the payment's lock (so concurrent refunds can never promise more than was paid), then
// asked of the provider with an idempotency key derived from its id, then settled with the
// provider's answer; the provider's webhook for it settles the same refund, once.
import { randomUUID } from 'node:crypto';
import type { RefundReason } from '@azora/contracts';
import { withTransaction } from '@azora/service-kit';
import { findPayment } from '../db/payments';
import { committedRefundTotal, findRefund, findRefundByKey, insertRefund, updateRefund } from '../db/refunds';
import {
  notRefundable,
  paymentNotFound,
  providerProblem,
  refundExceedsRemaining,
  refundKeyReused,
  refundRejected,
} from '../domain/errors';
import { ProviderFailure } from '../domain/ports';
import type { PaymentRecord, RefundRecord } from '../domain/records';
import { isPaid } from '../domain/status';
import type { Caller, PayContext } from './context';
import { applyRefund } from './settle';

export interface RefundInput {
  paymentId: string;
  amount?: number | undefined;
  reason?: RefundReason | undefined;
  idempotencyKey: string;
}

export interface RefundOutcome {
  refund: RefundRecord;
  payment: PaymentRecord;
  /** False when the same Idempotency-Key was answered before. */
  created: boolean;
}

/** Records the refund as pending, or finds the one recorded with the same key. */
function reserve(ctx: PayContext, caller: Caller, input: RefundInput) {
  return withTransaction(ctx.pool, async (tx) => {
    const payment = await findPayment(tx, input.paymentId, { lock: true });
    if (!payment) throw paymentNotFound(input.paymentId);
    const earlier = await findRefundByKey(tx, payment.id, input.idempotencyKey);
    if (earlier) {
      const same =
        (input.amount === undefined || input.amount === earlier.amount) && (input.reason ?? null) === earlier.reason;
      if (!same) throw refundKeyReused();
      return { payment, refund: earlier, created: false };
    }
    if (!isPaid(payment.status)) throw notRefundable(payment.id, payment.status);
    const remaining = payment.amount - (await committedRefundTotal(tx, payment.id));
    if (remaining <= 0) throw notRefundable(payment.id, 'refunded in full already');
    const amount = input.amount ?? remaining;
    if (amount > remaining) throw refundExceedsRemaining(payment.id, amount, remaining);
    const refund = await insertRefund(tx, {
      id: randomUUID(),
      paymentId: payment.id,
      amount,
      currency: payment.currency,
      status: 'pending',
      reason: input.reason ?? null,
      providerRefundId: null,
      idempotencyKey: input.idempotencyKey,
      requestedBy: caller.user.id,
      now: ctx.clock.now(),
    });
    return { payment, refund, created: true };
  });
}

export async function refundPayment(ctx: PayContext, caller: Caller, input: RefundInput): Promise<RefundOutcome> {
  const reserved = await reserve(ctx, caller, input);
  const { payment, refund, created } = reserved;
  // Settled earlier (by this request's twin or by the provider's webhook): answer as it stands.
  if (refund.status !== 'pending' || !payment.providerPaymentId) {
    return { refund, payment: (await findPayment(ctx.pool, payment.id)) ?? payment, created };
  }
  let answer;
  try {
    answer = await ctx.provider.refund({
      intentId: payment.providerPaymentId,
      amount: refund.amount,
      reason: refund.reason,
      idempotencyKey: `azora-refund-${refund.id}`,
      metadata: { paymentId: payment.id, refundId: refund.id },
    });
  } catch (error) {
    if (!(error instanceof ProviderFailure)) throw error;
    // Unavailable: the refund stays pending, and the same key retries it later.
    if (error.kind === 'unavailable') throw providerProblem(error);
    await withTransaction(ctx.pool, (tx) =>
      updateRefund(tx, refund.id, { status: 'failed', providerRefundId: null, now: ctx.clock.now() }),
    );
    if (error.kind === 'invalid_request') throw refundRejected(payment.id, error.message);
    throw providerProblem(error);
  }
  return withTransaction(ctx.pool, async (tx) => {
    const locked = (await findPayment(tx, payment.id, { lock: true })) as PaymentRecord;
    const settled = await applyRefund(
      ctx,
      tx,
      locked,
      { ...answer, refundId: refund.id },
      { requestId: caller.requestId },
    );
    return { refund: (await findRefund(tx, refund.id)) ?? refund, payment: settled, created };
  });
}

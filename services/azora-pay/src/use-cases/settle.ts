// Settling payments from what the provider says: one function for an intent's state and one for
// a refund, shared by the webhook, the sandbox's confirmation, checkout and reconciliation. Each
// runs under the payment's row lock and publishes in the same transaction as the change, so
// whichever of them sees a transition first publishes it, and the others find nothing to do.
import { randomUUID } from 'node:crypto';
import type { EventData, PaymentStatus, RefundStatus } from '@azora/contracts';
import { afterCommit, type Tx } from '@azora/service-kit';
import { attachIntent, findPayment, updateStatus } from '../db/payments';
import { lockUnmatchedEvents, setOutcome } from '../db/provider-events';
import { findRefundForProvider, insertRefund, updateRefund } from '../db/refunds';
import type { ProviderEvent, ProviderIntent, ProviderRefund } from '../domain/ports';
import type { PaymentRecord } from '../domain/records';
import { isOpen, mayMove, refundMayMove, statusOfIntent } from '../domain/status';
import type { PayContext } from './context';

type PaymentData = EventData<'pay.payment.succeeded'>;

export function paymentEventData(payment: PaymentRecord, amount = payment.amount): PaymentData {
  return {
    paymentId: payment.id,
    userId: payment.userId,
    purpose: payment.purpose,
    ...(payment.courseId ? { courseId: payment.courseId } : {}),
    amount,
    currency: payment.currency,
  };
}

export interface SettleMeta {
  requestId?: string | undefined;
}

/** Applies an intent's state to its locked payment; returns the payment as it now stands. */
export async function applyIntent(
  ctx: PayContext,
  tx: Tx,
  payment: PaymentRecord,
  intent: ProviderIntent,
  meta: SettleMeta = {},
): Promise<PaymentRecord> {
  const log = { paymentId: payment.id, intentId: intent.id };
  if (payment.providerPaymentId && payment.providerPaymentId !== intent.id) {
    ctx.logger.warn(log, 'an intent names a payment that has another intent; ignored');
    return payment;
  }
  // Never settle an amount other than the one asked for, whatever an event says.
  if (intent.amount !== payment.amount || intent.currency !== payment.currency) {
    ctx.logger.error({ ...log, intentAmount: intent.amount, amount: payment.amount }, 'intent amount differs; ignored');
    return payment;
  }
  let current = payment;
  if (!payment.providerPaymentId || (!payment.clientSecret && intent.clientSecret)) {
    const attached = await attachIntent(tx, payment.id, intent, ctx.clock.now());
    current = attached ?? ((await findPayment(tx, payment.id)) as PaymentRecord);
  }
  const target = statusOfIntent(intent);
  if (!target || target === current.status || !mayMove(current.status, target)) return current;
  const updated = await updateStatus(tx, current.id, {
    status: target,
    ...(target === 'failed' ? { failure: intent.lastError } : target === 'succeeded' ? { failure: null } : {}),
    now: ctx.clock.now(),
  });
  await announce(ctx, tx, updated, target, meta);
  return updated;
}

async function announce(ctx: PayContext, tx: Tx, payment: PaymentRecord, status: PaymentStatus, meta: SettleMeta) {
  const publishMeta = { subject: payment.userId, requestId: meta.requestId ?? payment.requestId ?? undefined };
  const labels = { purpose: payment.purpose, currency: payment.currency };
  if (status === 'succeeded') {
    await ctx.publish(tx, 'pay.payment.succeeded', paymentEventData(payment), publishMeta);
    afterCommit(tx, () => {
      ctx.metrics.payments.inc({ purpose: payment.purpose, outcome: 'succeeded' });
      ctx.metrics.amounts.inc({ ...labels, outcome: 'succeeded' }, payment.amount);
    });
  } else if (status === 'failed') {
    await ctx.publish(tx, 'pay.payment.failed', paymentEventData(payment), publishMeta);
    afterCommit(tx, () => ctx.metrics.payments.inc({ purpose: payment.purpose, outcome: 'failed' }));
  } else if (status === 'refunded') {
    // Once, when nothing is left: consumers undo the purchase (revoke the course, take the tokens back).
    await ctx.publish(tx, 'pay.payment.refunded', paymentEventData(payment, payment.amountRefunded), publishMeta);
    afterCommit(tx, () => ctx.metrics.payments.inc({ purpose: payment.purpose, outcome: 'refunded' }));
  } else if (status === 'canceled') {
    afterCommit(tx, () => ctx.metrics.payments.inc({ purpose: payment.purpose, outcome: 'canceled' }));
  }
}

const REFUND_STATUS: Record<string, RefundStatus> = {
  pending: 'pending',
  requires_action: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
};

/** Applies a provider refund to the locked payment: records it, and counts it once it succeeded. */
export async function applyRefund(
  ctx: PayContext,
  tx: Tx,
  payment: PaymentRecord,
  refund: ProviderRefund,
  meta: SettleMeta = {},
): Promise<PaymentRecord> {
  const status = REFUND_STATUS[refund.status] ?? 'pending';
  const now = ctx.clock.now();
  const known = await findRefundForProvider(tx, refund.id, refund.refundId);
  if (known && known.paymentId !== payment.id) return payment;
  if (known && !refundMayMove(known.status, status)) return payment;
  if (known && known.providerRefundId && known.providerRefundId !== refund.id) return payment;
  const record = known
    ? await updateRefund(tx, known.id, { status, providerRefundId: refund.id, now })
    : // Made at the provider (its dashboard): recorded as it is.
      await insertRefund(tx, {
        id: randomUUID(),
        paymentId: payment.id,
        amount: refund.amount,
        currency: refund.currency,
        status,
        reason: refund.reason,
        providerRefundId: refund.id,
        idempotencyKey: null,
        requestedBy: null,
        now,
      });
  if (status !== 'succeeded') return payment;
  // A refund can be heard before the payment's own success (events arrive in any order).
  const heardPaid = !isOpen(payment.status);
  const amountRefunded = Math.min(payment.amount, payment.amountRefunded + record.amount);
  const target = amountRefunded >= payment.amount ? 'refunded' : 'partially_refunded';
  if (target !== payment.status && !mayMove(payment.status, target)) return payment;
  const updated = await updateStatus(tx, payment.id, { status: target, amountRefunded, now });
  afterCommit(tx, () =>
    ctx.metrics.amounts.inc(
      { purpose: payment.purpose, currency: payment.currency, outcome: 'refunded' },
      amountRefunded - payment.amountRefunded,
    ),
  );
  if (target === 'refunded' && heardPaid) await announce(ctx, tx, updated, 'refunded', meta);
  // Partly refunded, the purchase stands: announce the success not announced yet.
  else if (target === 'partially_refunded' && !heardPaid) await announce(ctx, tx, updated, 'succeeded', meta);
  // Wholly refunded before its success was heard: consumers never saw it paid; nothing to undo.
  else if (target === 'refunded') ctx.logger.info({ paymentId: payment.id }, 'refunded before its success was heard');
  return updated;
}

/** Applies a verified provider event to the locked payment. */
export function applyEvent(
  ctx: PayContext,
  tx: Tx,
  payment: PaymentRecord,
  event: ProviderEvent,
  meta: SettleMeta = {},
): Promise<PaymentRecord> {
  if (event.kind === 'intent') return applyIntent(ctx, tx, payment, event.intent, meta);
  if (event.kind === 'refund') return applyRefund(ctx, tx, payment, event.refund, meta);
  return Promise.resolve(payment);
}

/** Events that arrived before their payment was known, applied now that it is (oldest first). */
export async function applyUnmatchedEvents(
  ctx: PayContext,
  tx: Tx,
  payment: PaymentRecord,
  meta: SettleMeta = {},
): Promise<PaymentRecord> {
  if (!payment.providerPaymentId) return payment;
  let current = payment;
  for (const stored of await lockUnmatchedEvents(tx, payment.providerPaymentId)) {
    current = await applyEvent(ctx, tx, current, reviveEvent(stored.payload), meta);
    await setOutcome(tx, stored.id, 'applied', payment.id);
  }
  return current;
}

/** Unmatched events are stored as ProviderEvent JSON: dates come back as strings. */
function reviveEvent(payload: unknown): ProviderEvent {
  const event = payload as ProviderEvent & { created: string };
  return { ...event, created: new Date(event.created) };
}

// Reconciliation: open payments whose webhook may have been lost (a crash, a network fault) are
// settled by asking the provider for their intent, so a lost webhook is never a lost payment.
// Events that arrived before their payment was known are applied on the way.
import { withTransaction } from '@azora/service-kit';
import { claimForReconciliation } from '../db/payment-lists';
import { findPayment } from '../db/payments';
import type { PaymentRecord } from '../domain/records';
import type { PayContext } from './context';
import { applyIntent, applyUnmatchedEvents } from './settle';

export interface ReconcileSettings {
  /** Leave a payment alone this long after its last change (its webhook is probably on the way). */
  minAgeMs: number;
  /** Stop asking about a payment still awaiting its buyer after this long (processing ones are always asked about). */
  maxAgeMs: number;
  batch: number;
}

export interface ReconcileReport {
  checked: number;
  settled: number;
  failed: number;
}

export async function reconcileOnce(ctx: PayContext, settings: ReconcileSettings): Promise<ReconcileReport> {
  const claimed = await claimForReconciliation(ctx.pool, {
    now: ctx.clock.now(),
    minAgeMs: settings.minAgeMs,
    maxAgeMs: settings.maxAgeMs,
    limit: settings.batch,
  });
  const report: ReconcileReport = { checked: claimed.length, settled: 0, failed: 0 };
  for (const payment of claimed) {
    try {
      const intent = await ctx.provider.retrieveIntent(payment.providerPaymentId as string);
      const before = payment.status;
      const after = await withTransaction(ctx.pool, async (tx) => {
        const locked = (await findPayment(tx, payment.id, { lock: true })) as PaymentRecord;
        return applyIntent(ctx, tx, await applyUnmatchedEvents(ctx, tx, locked), intent);
      });
      const settled = after.status !== before;
      if (settled) report.settled += 1;
      ctx.metrics.reconciledPayments.inc({ outcome: settled ? 'settled' : 'unchanged' });
      if (settled) ctx.logger.info({ paymentId: payment.id, from: before, to: after.status }, 'reconciled a payment');
    } catch (error) {
      report.failed += 1;
      ctx.metrics.reconciledPayments.inc({ outcome: 'error' });
      ctx.logger.warn(
        { err: error, paymentId: payment.id },
        'could not reconcile a payment; it is asked about again later',
      );
    }
  }
  return report;
}

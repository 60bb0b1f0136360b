// Pay's domain metrics, registered on the service's registry next to the HTTP metrics.
import type { Metrics } from '@azora/service-kit';

export type PaymentOutcome = 'created' | 'succeeded' | 'failed' | 'refunded' | 'canceled';
export type WebhookOutcome = 'applied' | 'unmatched' | 'ignored' | 'duplicate' | 'bad_signature' | 'invalid_payload';

export function payMetrics(metrics: Metrics) {
  const payments = metrics.counter('pay_payments_total', 'Payments by purpose and what happened to them', [
    'purpose',
    'outcome',
  ] as const);
  const amounts = metrics.counter(
    'pay_payment_amount_minor_units_total',
    'Money moved, in minor units of its currency: paid in (succeeded) and paid back (refunded)',
    ['purpose', 'currency', 'outcome'] as const,
  );
  const webhooks = metrics.counter('pay_webhook_events_total', 'Provider webhook events by type and outcome', [
    'type',
    'outcome',
  ] as const);
  const reconciliationRuns = metrics.counter('pay_reconciliation_runs_total', 'Reconciliation runs by outcome', [
    'outcome',
  ] as const);
  const reconciledPayments = metrics.counter(
    'pay_reconciled_payments_total',
    'Payments reconciliation asked the provider about, by what it found',
    ['outcome'] as const,
  );
  const sandboxDeliveries = metrics.counter(
    'pay_sandbox_webhook_deliveries_total',
    "The sandbox provider's webhook delivery attempts by outcome",
    ['outcome'] as const,
  );
  // Series that exist from the start, so rate() and alerts see a 0 rather than nothing.
  for (const purpose of ['course', 'tokens'])
    for (const outcome of ['created', 'succeeded', 'failed', 'refunded']) payments.inc({ purpose, outcome }, 0);
  webhooks.inc({ type: 'unverified', outcome: 'bad_signature' }, 0);
  for (const outcome of ['ok', 'error']) reconciliationRuns.inc({ outcome }, 0);
  return { payments, amounts, webhooks, reconciliationRuns, reconciledPayments, sandboxDeliveries };
}
export type PayMetrics = ReturnType<typeof payMetrics>;

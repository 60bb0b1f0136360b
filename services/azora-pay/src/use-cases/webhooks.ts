// The provider's webhooks: verified over the raw body, stored once by event id (a redelivery is
// acknowledged and changes nothing), and applied to their payment under its row lock, in the
// transaction that records them. An event naming a payment Pay cannot find yet is kept as
// `unmatched` and applied when the payment's intent is recorded.
import { withTransaction, type Tx } from '@azora/service-kit';
import { findPayment, lockPaymentByIntent } from '../db/payments';
import { recordEvent, setOutcome, type EventOutcome } from '../db/provider-events';
import { webhookRejected } from '../domain/errors';
import { INTENT_EVENT_TYPES, REFUND_EVENT_TYPES, WebhookRejected, type ProviderEvent } from '../domain/ports';
import type { PaymentRecord } from '../domain/records';
import type { WebhookOutcome } from '../metrics';
import type { PayContext } from './context';
import { applyEvent } from './settle';

export interface WebhookReceipt {
  duplicate: boolean;
  outcome: WebhookOutcome;
}

/** The intent an event is about: its payment is found by it, or by the payment id in its metadata. */
function subjectOf(event: ProviderEvent): { intentId: string | null; paymentId: string | null } {
  if (event.kind === 'intent') return { intentId: event.intent.id, paymentId: event.intent.paymentId };
  if (event.kind === 'refund') return { intentId: event.refund.intentId || null, paymentId: event.refund.paymentId };
  return { intentId: null, paymentId: null };
}

async function lockPaymentOf(tx: Tx, event: ProviderEvent): Promise<PaymentRecord | null> {
  const { intentId, paymentId } = subjectOf(event);
  const byIntent = intentId ? await lockPaymentByIntent(tx, intentId) : null;
  if (byIntent) return byIntent;
  return paymentId ? findPayment(tx, paymentId, { lock: true }) : null;
}

export async function receiveWebhook(
  ctx: PayContext,
  rawBody: Buffer,
  signature: string | undefined,
  requestId: string,
): Promise<WebhookReceipt> {
  let event: ProviderEvent;
  try {
    event = ctx.provider.verifyWebhook(rawBody, signature, ctx.clock.now());
  } catch (error) {
    if (!(error instanceof WebhookRejected)) throw error;
    ctx.metrics.webhooks.inc({ type: 'unverified', outcome: error.reason });
    throw webhookRejected(error.reason, error.message);
  }
  const outcome = await withTransaction(ctx.pool, async (tx): Promise<WebhookOutcome> => {
    const fresh = await recordEvent(tx, {
      id: event.id,
      provider: ctx.provider.name,
      type: event.type,
      objectId: subjectOf(event).intentId,
      payload: event,
      createdAt: event.created,
      receivedAt: ctx.clock.now(),
    });
    if (!fresh) return 'duplicate';
    let result: EventOutcome = 'ignored';
    let paymentId: string | null = null;
    if (event.kind !== 'other') {
      const payment = await lockPaymentOf(tx, event);
      if (payment) {
        await applyEvent(ctx, tx, payment, event, { requestId });
        [result, paymentId] = ['applied', payment.id];
      } else result = 'unmatched';
    }
    await setOutcome(tx, event.id, result, paymentId);
    return result;
  });
  ctx.metrics.webhooks.inc({ type: metricType(event.type), outcome });
  if (outcome === 'unmatched')
    ctx.logger.info({ eventId: event.id, type: event.type }, 'webhook for an unknown payment kept');
  return { duplicate: outcome === 'duplicate', outcome };
}

const LABELLED_TYPES: ReadonlySet<string> = new Set([...INTENT_EVENT_TYPES, ...REFUND_EVENT_TYPES, 'charge.refunded']);

/** Event types as metric labels: the ones Pay knows, `other` for the rest (bounded cardinality). */
function metricType(type: string): string {
  return LABELLED_TYPES.has(type) ? type : 'other';
}

// Stripe's objects and events, read with zod at the boundary: only the fields Pay acts on, so a
// Stripe API version that adds fields changes nothing, and a body that lacks one is refused.
// Both providers speak this format: the sandbox builds the same JSON Stripe sends.
import { z } from 'zod';
import {
  INTENT_EVENT_TYPES,
  REFUND_EVENT_TYPES,
  type ProviderEvent,
  type ProviderIntent,
  type ProviderRefund,
} from '../domain/ports';
import { RefundReason } from '@azora/contracts';

const Metadata = z.record(z.string(), z.string()).nullish();
const Uuid = z.uuid();

const uuidOrNull = (value: string | undefined) => (value !== undefined && Uuid.safeParse(value).success ? value : null);

export const StripeIntentObject = z.object({
  object: z.literal('payment_intent'),
  id: z.string().min(1),
  client_secret: z.string().nullish(),
  status: z.string(),
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  metadata: Metadata,
  last_payment_error: z
    .object({ code: z.string().nullish(), decline_code: z.string().nullish(), message: z.string().nullish() })
    .nullish(),
});

export const StripeRefundObject = z.object({
  object: z.literal('refund'),
  id: z.string().min(1),
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  status: z.string().nullish(),
  reason: z.string().nullish(),
  payment_intent: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
  metadata: Metadata,
});

const StripeEvent = z.object({
  id: z.string().min(1),
  object: z.literal('event'),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.object({ object: z.looseObject({ object: z.string().optional(), id: z.string().optional() }) }),
});

export function toProviderIntent(input: unknown): ProviderIntent {
  const intent = StripeIntentObject.parse(input);
  const error = intent.last_payment_error;
  return {
    id: intent.id,
    clientSecret: intent.client_secret ?? null,
    status: intent.status,
    amount: intent.amount,
    currency: intent.currency.toUpperCase(),
    paymentId: uuidOrNull(intent.metadata?.['paymentId']),
    lastError: error
      ? {
          code: error.code ?? 'payment_failed',
          declineCode: error.decline_code ?? null,
          message: error.message ?? 'The payment failed',
        }
      : null,
  };
}

export function toProviderRefund(input: unknown): ProviderRefund {
  const refund = StripeRefundObject.parse(input);
  const intent = refund.payment_intent;
  const reason = RefundReason.safeParse(refund.reason);
  return {
    id: refund.id,
    intentId: typeof intent === 'string' ? intent : (intent?.id ?? ''),
    amount: refund.amount,
    currency: refund.currency.toUpperCase(),
    status: refund.status ?? 'pending',
    refundId: uuidOrNull(refund.metadata?.['refundId']),
    paymentId: uuidOrNull(refund.metadata?.['paymentId']),
    reason: reason.success ? reason.data : null,
  };
}

/** A Stripe event (already verified) as Pay acts on it; throws a ZodError for a malformed one. */
export function toProviderEvent(input: unknown): ProviderEvent {
  const event = StripeEvent.parse(input);
  const base = { id: event.id, type: event.type, created: new Date(event.created * 1000) };
  const object = event.data.object;
  if (INTENT_EVENT_TYPES.has(event.type)) return { ...base, kind: 'intent', intent: toProviderIntent(object) };
  if (REFUND_EVENT_TYPES.has(event.type)) return { ...base, kind: 'refund', refund: toProviderRefund(object) };
  return { ...base, kind: 'other', objectId: object.id ?? null };
}

// The JSON the sandbox sends and answers: the shapes of Stripe's PaymentIntent, Refund and
// Event objects (the fields a Stripe integration reads), so the same parser reads both providers.
import Stripe from 'stripe';
import type { SandboxIntentRow, SandboxRefundRow } from '../db/sandbox';
import { stripeLikeId } from './stripe-ids';

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function intentJson(row: SandboxIntentRow): Record<string, unknown> {
  return {
    id: row.id,
    object: 'payment_intent',
    amount: row.amount,
    amount_received: row.status === 'succeeded' ? row.amount : 0,
    currency: row.currency.toLowerCase(),
    client_secret: row.client_secret,
    created: seconds(row.created_at),
    last_payment_error: row.last_error ? { type: 'card_error', ...row.last_error } : null,
    livemode: false,
    metadata: row.metadata,
    next_action: row.status === 'requires_action' ? { type: 'use_stripe_sdk' } : null,
    payment_method: row.payment_method,
    status: row.status,
  };
}

export function refundJson(row: SandboxRefundRow): Record<string, unknown> {
  return {
    id: row.id,
    object: 'refund',
    amount: row.amount,
    currency: row.currency.toLowerCase(),
    created: seconds(row.created_at),
    metadata: row.metadata,
    payment_intent: row.intent_id,
    reason: row.reason,
    status: row.status,
  };
}

export function eventJson(type: string, object: Record<string, unknown>, at: Date): Record<string, unknown> {
  return {
    id: stripeLikeId('evt'),
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: seconds(at),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

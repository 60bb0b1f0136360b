// What Pay's use cases need from outside systems, as interfaces: the payment provider (Stripe,
// or the sandbox that behaves like it) and Education's course catalogue. Adapters live in
// src/providers and src/clients.
import type { RefundReason } from '@azora/contracts';
import type { ProviderName } from './records';

/** A PaymentIntent as the provider reports it (Stripe's statuses). */
export interface ProviderIntent {
  id: string;
  clientSecret: string | null;
  status: string;
  amount: number;
  /** Upper-case ISO 4217. */
  currency: string;
  /** Our payment id, from the intent's metadata; null for an intent made elsewhere. */
  paymentId: string | null;
  lastError: { code: string; declineCode: string | null; message: string } | null;
}

export interface ProviderRefund {
  id: string;
  /** The PaymentIntent refunded. */
  intentId: string;
  amount: number;
  currency: string;
  /** Stripe's: pending, requires_action, succeeded, failed, canceled. */
  status: string;
  /** Our refund id and payment id, from the refund's metadata (absent for dashboard refunds). */
  refundId: string | null;
  paymentId: string | null;
  reason: RefundReason | null;
}

/** A verified provider event, reduced to what Pay acts on. */
/** The provider's event types Pay reads an intent from, and those it reads a refund from. */
export const INTENT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'payment_intent.created',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'payment_intent.canceled',
]);
export const REFUND_EVENT_TYPES: ReadonlySet<string> = new Set([
  'refund.created',
  'refund.updated',
  'refund.failed',
  'charge.refund.updated',
]);

export type ProviderEvent =
  | { id: string; type: string; created: Date; kind: 'intent'; intent: ProviderIntent }
  | { id: string; type: string; created: Date; kind: 'refund'; refund: ProviderRefund }
  | { id: string; type: string; created: Date; kind: 'other'; objectId: string | null };

export interface CreateIntentInput {
  paymentId: string;
  amount: number;
  currency: string;
  /** Derived from the payment id: creating it twice gives the same intent. */
  idempotencyKey: string;
  metadata: Record<string, string>;
}

export interface CreateRefundInput {
  intentId: string;
  amount: number;
  reason: RefundReason | null;
  idempotencyKey: string;
  metadata: Record<string, string>;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  createIntent(input: CreateIntentInput): Promise<ProviderIntent>;
  retrieveIntent(intentId: string): Promise<ProviderIntent>;
  refund(input: CreateRefundInput): Promise<ProviderRefund>;
  /** Verifies the signature over the raw body (throws WebhookRejected) and reads the event. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined, receivedAt: Date): ProviderEvent;
  /** The sandbox's stand-in for Stripe.js confirming a payment; absent with the real provider. */
  readonly confirm?: (intentId: string, paymentMethod: string) => Promise<ProviderIntent>;
}

export type ProviderFailureKind =
  /** Rate limited, unreachable, timed out, or a 5xx: try again later. */
  | 'unavailable'
  /** The card was declined. */
  | 'card_declined'
  /** The request was refused as invalid (unknown payment method, unexpected state...). */
  | 'invalid_request'
  /** Our credentials or account settings are wrong: an operator must act. */
  | 'misconfigured';

/** Any provider call that did not give an answer to act on. */
export class ProviderFailure extends Error {
  constructor(
    readonly kind: ProviderFailureKind,
    message: string,
    readonly details: { code?: string | undefined; param?: string | undefined; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'ProviderFailure';
  }
}

/** A webhook whose signature, timestamp or body was refused. */
export class WebhookRejected extends Error {
  constructor(
    readonly reason: 'bad_signature' | 'invalid_payload',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRejected';
  }
}

export type CourseOffer =
  { found: true; courseId: string; priceCents: number; currency: string; published: boolean } | { found: false };

/** Education's view of a course, for its price (never the client's). */
export interface CourseCatalog {
  offer(courseId: string): Promise<CourseOffer>;
}

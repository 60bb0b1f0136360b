// Pay's HTTP contract, as clients see it under /api/pay: checkout for a course or for AZR tokens,
// the sandbox's confirmation step, the caller's payments, and admin refunds. Money is integer
// minor units (cents) with an ISO 4217 currency.
import { z } from 'zod';
import { PageQuery, pageOf } from './pagination';

const Uuid = z.uuid();
const Timestamp = z.iso.datetime({ offset: true });
const MinorUnits = z.number().int().nonnegative();
const Currency = z.string().regex(/^[A-Z]{3}$/);

export const PaymentPurpose = z.enum(['course', 'tokens']);
export type PaymentPurpose = z.infer<typeof PaymentPurpose>;

/**
 * Where a payment stands. `requires_payment_method` until the buyer confirms; `failed` after a
 * declined attempt (confirming again with another method is allowed); `succeeded` once paid;
 * `partially_refunded` / `refunded` after refunds; `canceled` when the provider gave up on it.
 */
export const PaymentStatus = z.enum([
  'requires_payment_method',
  'requires_action',
  'processing',
  'failed',
  'succeeded',
  'partially_refunded',
  'refunded',
  'canceled',
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** Largest AZR amount one top-up may ask for; the service's configured limits are usually lower. */
export const MAX_TOP_UP_TOKENS = 10_000_000;

/**
 * POST /checkout. A course's price comes from Education, never from the client, so a course
 * checkout takes no amount; a top-up names how many AZR to buy and is priced by Pay's
 * configuration. Unknown fields (an `amount` or `priceCents` on a course) are refused.
 */
export const CheckoutRequest = z.discriminatedUnion('purpose', [
  z.strictObject({ purpose: z.literal('course'), courseId: Uuid }),
  z.strictObject({
    purpose: z.literal('tokens'),
    /** AZR to buy. */
    amount: z.number().int().positive().max(MAX_TOP_UP_TOKENS),
  }),
]);
export type CheckoutRequest = z.input<typeof CheckoutRequest>;

export const CheckoutResponse = z.object({
  paymentId: Uuid,
  /** For the provider's client library (Stripe.js `confirmPayment`); secret to the buyer. */
  clientSecret: z.string(),
  status: PaymentStatus,
  /** What will be charged, from the course's price or the configured token price. */
  amount: MinorUnits,
  currency: Currency,
  provider: z.enum(['stripe', 'sandbox']),
});
export type CheckoutResponse = z.infer<typeof CheckoutResponse>;

/** Stripe's test payment methods, e.g. `pm_card_visa`, `pm_card_chargeDeclined`. */
export const PaymentMethodId = z
  .string()
  .regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'a payment method id such as "pm_card_visa"');

/** POST /payments/:id/confirm: the sandbox provider only (with Stripe, Stripe.js confirms). */
export const ConfirmPaymentRequest = z.strictObject({ paymentMethod: PaymentMethodId });
export type ConfirmPaymentRequest = z.input<typeof ConfirmPaymentRequest>;

export const PaymentParams = z.object({ id: Uuid });
export type PaymentParams = z.infer<typeof PaymentParams>;

export const PaymentFailure = z.object({
  /** The provider's code, e.g. `card_declined`, `authentication_required`. */
  code: z.string(),
  /** The provider's decline code when it gave one, e.g. `insufficient_funds`. */
  declineCode: z.string().nullable(),
  message: z.string(),
});
export type PaymentFailure = z.infer<typeof PaymentFailure>;

export const Payment = z.object({
  id: Uuid,
  userId: Uuid,
  purpose: PaymentPurpose,
  /** The course bought (purpose `course`). */
  courseId: Uuid.nullable(),
  /** The AZR bought (purpose `tokens`). */
  tokens: z.number().int().positive().nullable(),
  amount: MinorUnits,
  currency: Currency,
  status: PaymentStatus,
  amountRefunded: MinorUnits,
  provider: z.enum(['stripe', 'sandbox']),
  /** The provider's id (Stripe PaymentIntent `pi_…`), once the intent exists. */
  providerPaymentId: z.string().nullable(),
  /** Why the last attempt failed, while the payment is `failed`. */
  failure: PaymentFailure.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  succeededAt: Timestamp.nullable(),
  refundedAt: Timestamp.nullable(),
});
export type Payment = z.infer<typeof Payment>;

export const PaymentListQuery = PageQuery.extend({ status: PaymentStatus.optional() });
export type PaymentListQuery = z.input<typeof PaymentListQuery>;
export const PaymentPage = pageOf(Payment);
export type PaymentPage = z.infer<typeof PaymentPage>;

export const RefundReason = z.enum(['requested_by_customer', 'duplicate', 'fraudulent']);
export type RefundReason = z.infer<typeof RefundReason>;

/** POST /payments/:id/refund (admin) with an Idempotency-Key header. Without `amount`, whatever
 * is left to refund. */
export const RefundRequest = z.strictObject({
  amount: z.number().int().positive().max(100_000_000).optional(),
  reason: RefundReason.optional(),
});
export type RefundRequest = z.input<typeof RefundRequest>;

export const RefundStatus = z.enum(['pending', 'succeeded', 'failed', 'canceled']);
export type RefundStatus = z.infer<typeof RefundStatus>;

export const Refund = z.object({
  id: Uuid,
  paymentId: Uuid,
  amount: MinorUnits,
  currency: Currency,
  status: RefundStatus,
  reason: RefundReason.nullable(),
  /** The provider's refund id (`re_…`), once the provider has it. */
  providerRefundId: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Refund = z.infer<typeof Refund>;

export const RefundResult = z.object({ refund: Refund, payment: Payment });
export type RefundResult = z.infer<typeof RefundResult>;

/** What POST /webhooks/stripe answers a correctly signed event (Stripe reads only the status). */
export const WebhookAck = z.object({ received: z.literal(true), duplicate: z.boolean() });
export type WebhookAck = z.infer<typeof WebhookAck>;

export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

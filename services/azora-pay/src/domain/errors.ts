// Pay's DomainError factories. Each names a code of the catalog (statuses and titles are
// declared once, in packages/contracts/src/problems/pay.ts); the code is what a client branches on.
import { DomainError } from '@azora/service-kit/errors';
import type { ProviderFailure } from './ports';

export const courseNotFound = (courseId: string) =>
  new DomainError('checkout.course_not_found', `No published course ${courseId}`);

export const courseIsFree = (courseId: string) =>
  new DomainError('checkout.course_free', `Course ${courseId} is free: enrol in it directly, no payment needed`, {
    extras: { courseId },
  });

export const courseAlreadyOwned = (courseId: string, paymentId: string) =>
  new DomainError('checkout.already_owned', `You already bought course ${courseId}`, {
    extras: { courseId, paymentId },
  });

export const checkoutKeyReused = () =>
  new DomainError('idempotency.key_reused', 'This Idempotency-Key was used for another checkout');

export const refundKeyReused = () =>
  new DomainError('idempotency.key_reused', 'This Idempotency-Key was used for a different refund of this payment');

export const paymentNotFound = (id: string) => new DomainError('payment.not_found', `No payment ${id}`);

export const notConfirmable = (id: string, status: string) =>
  new DomainError('payment.not_confirmable', `Payment ${id} is ${status}: there is nothing to confirm`, {
    extras: { status },
  });

export const unknownPaymentMethod = (paymentMethod: string) =>
  new DomainError('payment.invalid_payment_method', `${paymentMethod} is not a payment method the sandbox knows`, {
    extras: { issues: [{ path: 'body.paymentMethod', message: 'not a known test payment method' }] },
  });

export const notRefundable = (id: string, status: string) =>
  new DomainError('payment.not_refundable', `Payment ${id} is ${status}: only a paid payment can be refunded`, {
    extras: { status },
  });

export const refundExceedsRemaining = (id: string, requested: number, remaining: number) =>
  new DomainError(
    'refund.exceeds_remaining',
    `Payment ${id} has ${remaining} (minor units) left to refund; ${requested} was asked`,
    { extras: { remaining } },
  );

export const refundRejected = (id: string, reason: string) =>
  new DomainError('refund.rejected', `The provider refused to refund payment ${id}: ${reason}`);

/** A provider call that failed: 503 with Retry-After when trying again may work, 502 otherwise. */
export function providerProblem(failure: ProviderFailure): DomainError {
  if (failure.kind === 'unavailable') {
    return new DomainError('payment.provider_unavailable', 'The payment provider is not answering; try again shortly', {
      retryAfterSeconds: failure.details.retryAfterSeconds ?? 5,
      cause: failure,
    });
  }
  return new DomainError('payment.provider_error', 'The payment provider refused the request; it has been logged', {
    cause: failure,
  });
}

export const webhookRejected = (reason: 'bad_signature' | 'invalid_payload', detail: string) =>
  reason === 'bad_signature'
    ? new DomainError('webhook.invalid_signature', detail)
    : new DomainError('webhook.invalid_payload', detail);

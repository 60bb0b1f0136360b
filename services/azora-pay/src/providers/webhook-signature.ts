// Stripe's webhook signature, through the official SDK for both providers: the real one
// verifies what Stripe signed, the sandbox signs exactly as Stripe does, so the verification
// path is the same in development, in tests and in production.
import Stripe from 'stripe';
import { ZodError } from 'zod';
import { WebhookRejected, type ProviderEvent } from '../domain/ports';
import { toProviderEvent } from './stripe-objects';

/**
 * Verifies `signature` over the raw body with `secret` (Stripe's default tolerance of 300 s,
 * measured against `receivedAt`) and reads the event. Throws WebhookRejected.
 */
export function verifyStripeWebhook(
  rawBody: Buffer,
  signature: string | undefined,
  secret: string,
  receivedAt: Date,
): ProviderEvent {
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(
      rawBody,
      signature ?? '',
      secret,
      undefined,
      undefined,
      receivedAt.getTime(),
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError)
      throw new WebhookRejected('bad_signature', error.message.split('\n')[0] ?? 'signature mismatch');
    // Verified, but not JSON: Stripe never sends that.
    throw new WebhookRejected('invalid_payload', 'The signed body is not a JSON event');
  }
  try {
    return toProviderEvent(event);
  } catch (error) {
    if (error instanceof ZodError)
      throw new WebhookRejected('invalid_payload', 'The signed body is not a Stripe event');
    throw error;
  }
}

/** The Stripe-Signature header Stripe would send for `payload`, signed at `timestamp` (seconds). */
export function signStripeWebhook(payload: string, secret: string, timestamp: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

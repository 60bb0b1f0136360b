// The real payment provider: Stripe through its official SDK. PaymentIntents carry our payment
// id in their metadata and are created with an idempotency key derived from it, so a retried
// checkout never makes a second intent; Stripe's errors become ProviderFailures.
import Stripe from 'stripe';
import {
  ProviderFailure,
  type CreateIntentInput,
  type CreateRefundInput,
  type PaymentProvider,
  type ProviderIntent,
} from '../domain/ports';
import { toProviderIntent, toProviderRefund } from './stripe-objects';
import { verifyStripeWebhook } from './webhook-signature';

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** Where the API is, when not api.stripe.com (a local stand-in in tests, stripe-mock). */
  api?: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
  /** Retries of a failed request by the SDK (with the same idempotency key). */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

export function createStripeProvider(options: StripeProviderOptions): PaymentProvider {
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    ...(options.api ?? {}),
  });

  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw toFailure(what, error);
    }
  };

  return {
    name: 'stripe',

    createIntent(input: CreateIntentInput): Promise<ProviderIntent> {
      return call('creating a PaymentIntent', async () =>
        toProviderIntent(
          await stripe.paymentIntents.create(
            {
              amount: input.amount,
              currency: input.currency.toLowerCase(),
              metadata: input.metadata,
              automatic_payment_methods: { enabled: true },
            },
            { idempotencyKey: input.idempotencyKey },
          ),
        ),
      );
    },

    retrieveIntent(intentId) {
      return call('reading a PaymentIntent', async () =>
        toProviderIntent(await stripe.paymentIntents.retrieve(intentId)),
      );
    },

    refund(input: CreateRefundInput) {
      return call('creating a refund', async () =>
        toProviderRefund(
          await stripe.refunds.create(
            {
              payment_intent: input.intentId,
              amount: input.amount,
              metadata: input.metadata,
              ...(input.reason ? { reason: input.reason } : {}),
            },
            { idempotencyKey: input.idempotencyKey },
          ),
        ),
      );
    },

    verifyWebhook(rawBody, signature, receivedAt) {
      return verifyStripeWebhook(rawBody, signature, options.webhookSecret, receivedAt);
    },
  };
}

/** Stripe's error classes, by what Pay can do about them. */
function toFailure(what: string, error: unknown): ProviderFailure {
  const E = Stripe.errors;
  if (!(error instanceof E.StripeError)) {
    return new ProviderFailure('unavailable', `${what}: ${(error as Error)?.message ?? String(error)}`);
  }
  const details = { code: error.code, param: error.param };
  const message = `${what}: ${error.message}`;
  if (error instanceof E.StripeRateLimitError) {
    const retryAfter = Number(error.headers?.['retry-after']);
    return new ProviderFailure('unavailable', message, {
      ...details,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 2,
    });
  }
  if (error instanceof E.StripeConnectionError || error instanceof E.StripeAPIError) {
    return new ProviderFailure('unavailable', message, details);
  }
  if (error instanceof E.StripeCardError) return new ProviderFailure('card_declined', message, details);
  if (error instanceof E.StripeAuthenticationError || error instanceof E.StripePermissionError) {
    return new ProviderFailure('misconfigured', message, details);
  }
  return new ProviderFailure('invalid_request', message, details);
}

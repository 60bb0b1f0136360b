// The embedded payment provider: Stripe's test mode, offline. Intents get Stripe-like ids and
// client secrets, `confirm` behaves as Stripe does for its test payment methods, refunds follow
// Stripe's rules, and every change is announced as a Stripe-signed webhook to the service's own
// /webhooks/stripe, so verification and processing are the same code as with Stripe.
import type { Clock, Pool } from '@azora/service-kit';
import {
  confirmSandboxIntent,
  createSandboxIntent,
  findSandboxIntent,
  refundSandboxIntent,
  type SandboxIntentRow,
} from '../db/sandbox';
import { ProviderFailure, type PaymentProvider, type ProviderIntent } from '../domain/ports';
import { cardOutcome } from './sandbox-cards';
import { eventJson, intentJson, refundJson } from './sandbox-json';
import type { WebhookSink } from './sandbox-webhooks';
import { stripeLikeId } from './stripe-ids';
import { toProviderIntent, toProviderRefund } from './stripe-objects';
import { verifyStripeWebhook } from './webhook-signature';

export interface SandboxProviderOptions {
  pool: Pool;
  clock: Clock;
  webhookSecret: string;
  webhooks: WebhookSink;
}

const EVENT_OF_STATUS: Record<string, string> = {
  succeeded: 'payment_intent.succeeded',
  requires_payment_method: 'payment_intent.payment_failed',
  requires_action: 'payment_intent.requires_action',
};

export function createSandboxProvider({
  pool,
  clock,
  webhookSecret,
  webhooks,
}: SandboxProviderOptions): PaymentProvider {
  const announce = (type: string, object: Record<string, unknown>) =>
    webhooks.send(eventJson(type, object, clock.now()));

  async function existingIntent(intentId: string): Promise<SandboxIntentRow> {
    const intent = await findSandboxIntent(pool, intentId);
    if (!intent) {
      throw new ProviderFailure('invalid_request', `No such payment_intent: '${intentId}'`, {
        code: 'resource_missing',
        param: 'intent',
      });
    }
    return intent;
  }

  async function confirm(intentId: string, paymentMethod: string): Promise<ProviderIntent> {
    const outcome = cardOutcome(paymentMethod);
    if (!outcome) {
      throw new ProviderFailure('invalid_request', `No such PaymentMethod: '${paymentMethod}'`, {
        code: 'resource_missing',
        param: 'payment_method',
      });
    }
    const confirmed = await confirmSandboxIntent(pool, intentId, {
      status: outcome.status,
      paymentMethod,
      lastError: outcome.status === 'requires_payment_method' ? outcome.error : null,
      now: clock.now(),
    });
    if (!confirmed) {
      const intent = await existingIntent(intentId);
      throw new ProviderFailure(
        'invalid_request',
        `This PaymentIntent's status is ${intent.status}: it cannot be confirmed`,
        { code: 'payment_intent_unexpected_state' },
      );
    }
    const json = intentJson(confirmed);
    announce(EVENT_OF_STATUS[confirmed.status] ?? 'payment_intent.updated', json);
    return toProviderIntent(json);
  }

  return {
    name: 'sandbox',

    async createIntent(input) {
      const id = stripeLikeId('pi');
      const { intent, created } = await createSandboxIntent(pool, {
        id,
        idempotency_key: input.idempotencyKey,
        client_secret: `${id}_secret_${stripeLikeId('', 25).slice(1)}`,
        amount: input.amount,
        currency: input.currency,
        metadata: input.metadata,
        created_at: clock.now(),
      });
      const json = intentJson(intent);
      if (created) announce('payment_intent.created', json);
      return toProviderIntent(json);
    },

    async retrieveIntent(intentId) {
      return toProviderIntent(intentJson(await existingIntent(intentId)));
    },

    async refund(input) {
      const result = await refundSandboxIntent(pool, {
        id: stripeLikeId('re'),
        intent_id: input.intentId,
        idempotency_key: input.idempotencyKey,
        amount: input.amount,
        reason: input.reason,
        metadata: input.metadata,
        created_at: clock.now(),
      });
      if (result.refund === null) {
        const message =
          result.kind === 'exceeds'
            ? 'Refund amount is greater than the unrefunded amount on this PaymentIntent'
            : `PaymentIntent ${input.intentId} has no successful charge to refund`;
        throw new ProviderFailure('invalid_request', message, { code: 'charge_already_refunded' });
      }
      const json = refundJson(result.refund);
      if (result.kind === 'created') {
        announce('refund.created', json);
        announce('charge.refunded', { id: stripeLikeId('ch'), object: 'charge', payment_intent: input.intentId });
      }
      return toProviderRefund(json);
    },

    verifyWebhook(rawBody, signature, receivedAt) {
      return verifyStripeWebhook(rawBody, signature, webhookSecret, receivedAt);
    },

    confirm,
  };
}

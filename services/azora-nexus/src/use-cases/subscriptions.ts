// Subscriptions: a service registers (idempotently, keyed by endpoint) and removes only its own,
// gets a fresh signing secret when new, and lists its own; the operator lists anyone's.
import { randomBytes } from 'node:crypto';
import type { Subscription, SubscriptionRequest } from '@azora/contracts';
import type { z } from 'zod';
import { listedSubscriber } from '../domain/access';
import { notOwnSubscription, othersSubscriptions, subscribesOnlyItself, subscriptionNotFound } from '../domain/errors';
import { toSubscription } from '../domain/views';
import type { Caller, NexusContext } from './context';

/** 32 random bytes, base64url: the HMAC key of a subscription's deliveries. */
function newSubscriptionSecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function subscribe(
  ctx: Pick<NexusContext, 'subscriptions'>,
  caller: Caller,
  input: z.output<typeof SubscriptionRequest>,
): Promise<{ subscription: Subscription; created: boolean }> {
  if (input.subscriber !== caller.service) throw subscribesOnlyItself(caller.service, input.subscriber);
  const { record, created } = await ctx.subscriptions.upsert({ ...input, secret: newSubscriptionSecret() });
  return { subscription: toSubscription(record, { withSecret: true }), created };
}

export async function listSubscriptions(
  ctx: Pick<NexusContext, 'subscriptions'>,
  caller: Caller,
  asked: string | undefined,
): Promise<Subscription[]> {
  const subscriber = listedSubscriber(caller.service, asked);
  if (subscriber === null) throw othersSubscriptions(caller.service, asked ?? '');
  const records = await ctx.subscriptions.list({ subscriber });
  return records.map((r) => toSubscription(r, { withSecret: false }));
}

/** Deletes one of the caller's subscriptions, and its dead letters with it. */
export async function unsubscribe(ctx: Pick<NexusContext, 'subscriptions'>, caller: Caller, id: string): Promise<void> {
  const record = await ctx.subscriptions.find(id);
  if (!record) throw subscriptionNotFound(id);
  if (record.subscriber !== caller.service) throw notOwnSubscription(caller.service, id, record.subscriber);
  if (!(await ctx.subscriptions.remove(id))) throw subscriptionNotFound(id);
}

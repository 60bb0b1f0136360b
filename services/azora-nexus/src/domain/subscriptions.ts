// The rules of subscriptions: a service subscribes and unsubscribes only itself, a new
// subscription gets a fresh signing secret, and the secret is shown to its own subscriber only.
import { randomBytes } from 'node:crypto';
import type { Subscription } from '@azora/contracts';
import { DomainError } from '@azora/service-kit';
import type { SubscriptionRecord } from './records';

/** 32 random bytes, base64url: the HMAC key of a subscription's deliveries. */
export function newSubscriptionSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function assertSubscribesItself(caller: string, subscriber: string): void {
  if (caller === subscriber) return;
  throw new DomainError(
    'subscriptions.not_own',
    `subscriber is "${subscriber}" but the caller is ${caller}: a service subscribes only itself`,
  );
}

export function assertOwnsSubscription(caller: string, subscription: SubscriptionRecord): void {
  if (caller === subscription.subscriber) return;
  throw new DomainError(
    'subscriptions.not_own',
    `subscription ${subscription.id} belongs to ${subscription.subscriber}, not to ${caller}`,
  );
}

export function subscriptionNotFound(id: string): DomainError {
  return new DomainError('subscriptions.not_found', `No subscription ${id}`);
}

/** The response shape; the secret only when `withSecret` (the subscriber itself registering). */
export function toSubscription(record: SubscriptionRecord, { withSecret }: { withSecret: boolean }): Subscription {
  return {
    id: record.id,
    subscriber: record.subscriber,
    topics: [...record.topics],
    endpoint: record.endpoint,
    ...(withSecret ? { secret: record.secret } : {}),
    position: record.position,
    pendingAttempts: record.attempts,
    nextAttemptAt: record.nextAttemptAt?.toISOString() ?? null,
    lastError: record.lastError,
    createdAt: record.createdAt.toISOString(),
  };
}

// What callers are shown: records mapped to the contracts' response shapes, field by field,
// so nothing a record gains later leaks by accident.
import type { DeadLetter, PublishResponse, Subscription } from '@azora/contracts';
import type { DeadLetterRecord, SubscriptionRecord } from './records';

/** The secret only when `withSecret` (the subscriber itself registering). */
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

export function toDeadLetter(record: DeadLetterRecord): DeadLetter {
  return {
    id: record.id,
    subscriptionId: record.subscriptionId,
    subscriber: record.subscriber,
    event: record.event,
    attempts: record.attempts,
    lastError: record.lastError,
    status: record.status,
    createdAt: record.createdAt.toISOString(),
    retriedAt: record.retriedAt?.toISOString() ?? null,
  };
}

export function toPublishResponse(
  appended: ReadonlyArray<{ id: string; seq: number; fresh: boolean }>,
): PublishResponse {
  const accepted = appended.filter((e) => e.fresh).length;
  return { accepted, duplicates: appended.length - accepted, events: appended.map(({ id, seq }) => ({ id, seq })) };
}

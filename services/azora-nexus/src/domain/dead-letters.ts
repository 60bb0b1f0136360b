// Retrying a dead letter by hand: the one event is delivered again now, signed like any
// delivery. Accepted, the dead letter is marked delivered; refused, it stays dead with one more
// attempt counted, and the caller gets a 502 saying why.
import type { DeadLetter } from '@azora/contracts';
import { DomainError } from '@azora/service-kit';
import type { NexusMetrics } from '../metrics';
import type { DeadLetterStore, Send } from './ports';
import type { DeadLetterRecord } from './records';

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

export function createDeadLetterRetry({
  store,
  send,
  metrics,
}: {
  store: DeadLetterStore;
  send: Send;
  metrics: NexusMetrics;
}) {
  return async function retryDeadLetter(id: string): Promise<DeadLetterRecord> {
    const claim = await store.claim(id);
    if (claim === 'missing') throw new DomainError('dead_letters.not_found', `No dead letter ${id}`);
    if (claim === 'busy')
      throw new DomainError('dead_letters.retry_in_progress', `Dead letter ${id} is being retried right now`);
    const { deadLetter, subscription } = claim;
    if (deadLetter.status === 'delivered') {
      await claim.release();
      throw new DomainError('dead_letters.already_delivered', `Dead letter ${id} was already delivered`);
    }
    let result: Awaited<ReturnType<Send>>;
    try {
      result = await send({
        endpoint: subscription.endpoint,
        secret: subscription.secret,
        body: { subscriptionId: subscription.id, events: [deadLetter.event] },
      });
    } catch (error) {
      await claim.release();
      throw error;
    }
    if (result.ok) {
      const delivered = await claim.markDelivered();
      metrics.delivered.inc({ type: deadLetter.event.type, subscriber: subscription.subscriber });
      return delivered;
    }
    metrics.failures.inc({ subscriber: subscription.subscriber });
    const failed = await claim.markFailed(result.error);
    throw new DomainError(
      'dead_letters.delivery_failed',
      `${subscription.subscriber} refused the event again: ${result.error}`,
      { extras: { deadLetter: toDeadLetter(failed) } },
    );
  };
}

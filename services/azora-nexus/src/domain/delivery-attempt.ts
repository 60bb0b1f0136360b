// One delivery attempt for one subscription: claim it, pick the events (a batch, or the head
// alone while a failure is being isolated), POST them, and record what happened: position moves
// on success; a failure schedules a retry; the head event's last allowed failure dead-letters it
// and delivery moves past it (the skip policy: one poison event must not stall the rest).
import type { Logger } from '@azora/service-kit';
import type { NexusMetrics } from '../metrics';
import { backoffDelay } from './backoff';
import type { DeliveryStore, Send, SubscriptionClaim } from './ports';
import type { DeliverySettings } from './settings';

export type AttemptOutcome = 'busy' | 'caught-up' | 'delivered' | 'failed' | 'dead-lettered' | 'aborted';

/** How far past its position one attempt looks for matching events. Bounds the scan of a
 * subscription whose topics are rare in a long log; the position still moves past what it scanned. */
export const SCAN_WINDOW = 20_000;

export interface AttemptDeps {
  store: DeliveryStore;
  send: Send;
  settings: DeliverySettings;
  metrics: NexusMetrics;
  logger: Logger;
  now?: () => number;
  random?: () => number;
}

/** After a failure, deliver one event at a time until past the batch that failed. */
export function isolating(claim: Pick<SubscriptionClaim, 'subscription'>): boolean {
  const { attempts, position, isolateThrough } = claim.subscription;
  return attempts > 0 || position < isolateThrough;
}

export function createDeliveryAttempt({
  store,
  send,
  settings,
  metrics,
  logger,
  now = Date.now,
  random = Math.random,
}: AttemptDeps) {
  async function deliver(claim: SubscriptionClaim, abort: AbortSignal): Promise<AttemptOutcome> {
    const { subscription, head } = claim;
    const limit = isolating(claim) ? 1 : settings.batchSize;
    const upTo = Math.min(head, subscription.position + SCAN_WINDOW);
    const events = await claim.pendingEvents({ after: subscription.position, upTo, limit });
    const last = events[events.length - 1];
    if (!last) {
      await claim.acknowledge(upTo); // nothing in the range matches: move past it
      return 'caught-up';
    }
    const result = await send(
      {
        endpoint: subscription.endpoint,
        secret: subscription.secret,
        body: { subscriptionId: subscription.id, events },
      },
      abort,
    );
    const labels = { subscriber: subscription.subscriber };
    if (result.ok) {
      // A short batch means no other match up to upTo: the position can move that far.
      await claim.acknowledge(events.length < limit ? upTo : last.seq);
      const acknowledgedAt = now();
      for (const event of events) {
        metrics.delivered.inc({ type: event.type, subscriber: subscription.subscriber });
        metrics.deliveryLatency.observe(labels, Math.max(0, acknowledgedAt - Date.parse(event.receivedAt)) / 1000);
      }
      return 'delivered';
    }
    if (abort.aborted) {
      await claim.release(); // stopped mid-attempt: nothing recorded, the next dispatcher delivers again
      return 'aborted';
    }
    metrics.failures.inc(labels);
    const attempts = subscription.attempts + 1;
    const log = logger.child({
      subscriptionId: subscription.id,
      subscriber: subscription.subscriber,
      seq: events[0]?.seq,
      attempts,
    });
    if (events.length === 1 && attempts >= settings.maxAttempts) {
      await claim.deadLetter({ seq: last.seq, attempts, error: result.error });
      metrics.deadLetters.inc({ type: last.type, subscriber: subscription.subscriber });
      log.warn(
        { error: result.error, type: last.type },
        'event dead-lettered after the maximum attempts; delivery goes on past it',
      );
      return 'dead-lettered';
    }
    const delayMs = backoffDelay(
      { failuresBefore: subscription.attempts, baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs },
      random,
    );
    await claim.fail({ attempts, error: result.error, delayMs, isolateThrough: last.seq });
    log.info({ error: result.error, retryInMs: delayMs, events: events.length }, 'delivery failed; retrying later');
    return 'failed';
  }

  /** Never leaves the claim open: any unexpected error releases it and is rethrown. */
  return async function attempt(subscriptionId: string, abort: AbortSignal): Promise<AttemptOutcome> {
    const claim = await store.claim(subscriptionId);
    if (!claim) return 'busy';
    try {
      return await deliver(claim, abort);
    } catch (error) {
      await claim.release();
      throw error;
    }
  };
}
export type DeliveryAttempt = ReturnType<typeof createDeliveryAttempt>;

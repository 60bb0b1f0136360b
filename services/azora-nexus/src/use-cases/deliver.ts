// One delivery attempt for one subscription: claim it, send the events the rules pick, and
// record what happened before the claim ends: the position moves on success; a failure
// schedules a retry at the clock's now plus a back-off, or dead-letters the head event.
import { afterFailure, attemptWindow, positionAfter } from '../domain/delivery-attempt';
import type { SubscriptionClaim } from '../domain/ports';
import type { NexusContext } from './context';

export type AttemptOutcome = 'busy' | 'caught-up' | 'delivered' | 'failed' | 'dead-lettered' | 'aborted';

export type DeliveryContext = Pick<NexusContext, 'deliveries' | 'clock' | 'logger' | 'metrics' | 'settings' | 'send'>;

export function createDeliveryAttempt(ctx: DeliveryContext, random: () => number = Math.random) {
  const { clock, metrics, settings, send } = ctx;

  async function deliver(claim: SubscriptionClaim, abort: AbortSignal): Promise<AttemptOutcome> {
    const { subscription, head } = claim;
    const window = attemptWindow(subscription, head, settings);
    const pending = await claim.pendingEvents(window);
    const { events } = pending;
    const first = events[0];
    if (!first) {
      await claim.acknowledge(pending.scannedThrough); // nothing scanned matches: move past it
      return 'caught-up';
    }
    const body = { subscriptionId: subscription.id, events };
    const result = await send({ endpoint: subscription.endpoint, secret: subscription.secret, body }, abort);
    const labels = { subscriber: subscription.subscriber };
    if (result.ok) {
      await claim.acknowledge(positionAfter(window, pending));
      const acknowledgedAt = Date.now(); // a measurement: compared with receivedAt, a wall-clock time
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
    const now = clock.now();
    const outcome = afterFailure(
      { subscription, sent: events, settings, now, unavailable: result.unavailable },
      random,
    );
    const log = ctx.logger.child({
      subscriptionId: subscription.id,
      subscriber: subscription.subscriber,
      seq: first.seq,
      attempts: outcome.attempts,
    });
    if (outcome.kind === 'dead-letter') {
      const { type } = first;
      await claim.deadLetter({ event: first, attempts: outcome.attempts, error: result.error, at: now });
      metrics.deadLetters.inc({ type, subscriber: subscription.subscriber });
      log.warn(
        { error: result.error, type },
        'event dead-lettered after the maximum attempts; delivery goes on past it',
      );
      return 'dead-lettered';
    }
    const { attempts, retryAt, isolateThrough } = outcome;
    await claim.fail({ attempts, error: result.error, retryAt, isolateThrough });
    log.info(
      { error: result.error, retryInMs: outcome.delayMs, events: events.length },
      'delivery failed; retrying later',
    );
    return 'failed';
  }

  /** Never leaves the claim open: any unexpected error releases it and is rethrown. */
  return async function attempt(subscriptionId: string, abort: AbortSignal): Promise<AttemptOutcome> {
    const claim = await ctx.deliveries.claim(subscriptionId, clock.now());
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

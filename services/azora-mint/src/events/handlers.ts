// What Mint does with the events it consumes. Each handler runs in the transaction that also
// records the event in the inbox, so a redelivered event has no second effect; reward decisions
// and top-ups also carry a unique reference, so even a re-published event counts only once.
import type { Clock, Consumer, Logger, OutboxSignal } from '@azora/service-kit';
import { createStores } from '../db/stores';
import type { MintCounters } from '../domain/ports';
import { courseClaim, jobClaim, lessonClaim } from '../domain/reward-policy';
import { createRewards, type ClaimSource } from '../use-cases/rewards';
import type { MintSettings } from '../domain/settings';
import { createTopUps } from '../use-cases/top-ups';

export interface HandlerDeps {
  events: Consumer;
  clock: Clock;
  logger: Logger;
  settings: MintSettings;
  counters: MintCounters;
  outbox?: OutboxSignal;
}

export function registerEventHandlers({ events, clock, logger, settings, counters, outbox }: HandlerDeps): void {
  const stores = (tx: Parameters<typeof createStores>[0]) => createStores(tx, outbox);
  const rewards = createRewards({ clock, settings, counters });
  const source = (event: { id: string; requestId?: string | undefined }): ClaimSource => ({
    eventId: event.id,
    requestId: event.requestId ?? null,
  });
  const topUps = createTopUps({ clock, settings, counters });

  events.on('identity.user.registered', async (event, tx) => {
    await stores(tx).ledger.openWallet(event.data.userId, clock.now());
  });

  events.on('education.lesson.completed', async (event, tx) => {
    await rewards.grant(stores(tx), lessonClaim(event.data), source(event));
  });

  events.on('education.course.completed', async (event, tx) => {
    await rewards.grant(stores(tx), courseClaim(event.data), source(event));
  });

  events.on('forge.job.completed', async (event, tx) => {
    await rewards.grant(stores(tx), jobClaim(event.data), source(event));
  });

  events.on('pay.payment.succeeded', async (event, tx) => {
    const outcome = await topUps.credit(stores(tx), event.data, event.requestId ?? null);
    if (outcome === 'too_small')
      logger.warn(
        { paymentId: event.data.paymentId, amount: event.data.amount },
        'top-up too small to buy 1 AZR: nothing credited',
      );
  });

  events.on('pay.payment.refunded', async (event, tx) => {
    const reversal = await topUps.reverse(stores(tx), event.data, event.requestId ?? null);
    if (reversal.outcome === 'not_credited' && event.data.purpose === 'tokens') {
      logger.warn(
        { paymentId: event.data.paymentId },
        'refund of a top-up that was never credited: nothing to reverse',
      );
    }
    if (reversal.owed > 0)
      logger.info(
        { paymentId: event.data.paymentId, taken: reversal.taken, owed: reversal.owed },
        'refunded top-up not covered: debt recorded',
      );
  });
}

// Ingesting the bus: every catalog event is stored under its own type, in the delivery's
// transaction (with the inbox record), so a redelivered event is stored once. Events older
// than raw retention (a replay from the start of the log) or ahead of the clock are skipped.
import type { Tx } from '@azora/service-kit';
import { busEvent, type DeliveredBusEvent } from '../domain/incoming-events';
import { acceptedWindow, retentionCutoff } from '../domain/settings';
import type { AnalyticsContext } from './context';
import { storeObserved } from './observed-store';

export async function ingestBusEvent(ctx: AnalyticsContext, tx: Tx, delivered: DeliveredBusEvent): Promise<void> {
  const now = ctx.clock.now();
  const event = busEvent(delivered, now);
  const at = event.timestamp.getTime();
  const reason =
    at < retentionCutoff(ctx.settings, now).getTime()
      ? 'expired'
      : at > acceptedWindow(ctx.settings, now).latest.getTime()
        ? 'future'
        : null;
  if (reason) {
    ctx.metrics.busSkipped.inc({ reason });
    ctx.logger.warn(
      { eventId: delivered.id, type: delivered.type, occurredAt: delivered.occurredAt, reason },
      'bus event not stored',
    );
    return;
  }
  await storeObserved(ctx, 'bus', [event], () => ctx.store.ingestInTransaction(tx, [event]));
}

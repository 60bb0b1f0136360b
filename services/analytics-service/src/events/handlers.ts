// What Analytics does with the bus: every event type of the catalog is stored as an event of
// that name, in the delivery's transaction with its inbox record (so exactly once).
import { EVENT_TYPES } from '@azora/contracts';
import type { Consumer } from '@azora/service-kit';
import { ingestBusEvent } from '../use-cases/bus';
import type { AnalyticsContext } from '../use-cases/context';

export function registerEventHandlers(events: Consumer, ctx: AnalyticsContext): void {
  for (const type of EVENT_TYPES) events.on(type, (event, tx) => ingestBusEvent(ctx, tx, event));
}

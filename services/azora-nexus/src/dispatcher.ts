// Wiring of the dispatcher: the domain's delivery loop over the Postgres-backed store, the HTTP
// sender and its own LISTEN client. Whoever creates it starts and stops it.
import type { NexusDeps } from './app';
import { createDeliveryStore } from './db/deliveries';
import { createEventSignal } from './db/event-signal';
import { createSender } from './delivery/sender';
import { createDeliveryAttempt } from './domain/delivery-attempt';
import { createDispatcher, type Dispatcher } from './domain/dispatcher';
import { deliverySettings } from './domain/settings';
import { nexusMetrics } from './metrics';

export type { Dispatcher };

export function createNexusDispatcher(deps: NexusDeps): Dispatcher {
  const settings = deliverySettings(deps.settings);
  const store = createDeliveryStore(deps.pool);
  const logger = deps.logger;
  const attempt = createDeliveryAttempt({
    store,
    send: createSender({ clock: deps.clock, timeoutMs: settings.timeoutMs }),
    settings,
    metrics: nexusMetrics(deps.metrics),
    logger,
  });
  const signal = createEventSignal({ pool: deps.pool, logger });
  return createDispatcher({ store, attempt, signal, settings, logger });
}

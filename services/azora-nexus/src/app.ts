// Nexus event bus: the event log, subscriptions, deliveries and dead letters. createApp builds
// the use cases from deps and declares the routes; createNexusDispatcher builds the delivery
// loop, which server.ts (or a test) starts once the server listens. Neither starts anything, and
// the /stream LISTEN client exists only while a stream is open.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';
import { createEventSignal } from './db/event-signal';
import { readBacklog } from './db/subscriptions';
import { createSender } from './delivery/sender';
import { deliverySettings, type DeliverySettings } from './domain/settings';
import { nexusMetrics, registerBacklogGauge } from './metrics';
import { deadLetterRoutes } from './routes/dead-letters';
import { eventRoutes } from './routes/events';
import { streamRoutes } from './routes/stream';
import { subscriptionRoutes } from './routes/subscriptions';
import type { NexusContext } from './use-cases/context';
import { createDeliveryAttempt } from './use-cases/deliver';
import { createDispatcher, type Dispatcher } from './use-cases/dispatch';

export type { Dispatcher };

export type NexusDeps = CoreDeps & {
  /** Delivery and streaming settings; unset ones take the defaults (see src/domain/settings.ts). */
  readonly settings?: Partial<DeliverySettings> | undefined;
};

/** The use cases' context over `deps`, with a LISTEN signal of its own (opened on first use). */
function nexusContext(deps: NexusDeps): NexusContext {
  const settings = deliverySettings(deps.settings);
  return {
    pool: deps.pool,
    clock: deps.clock,
    logger: deps.logger,
    metrics: nexusMetrics(deps.metrics),
    settings,
    send: createSender({ clock: deps.clock, timeoutMs: settings.timeoutMs }),
    appended: createEventSignal({
      pool: deps.pool,
      logger: deps.logger,
      reconnectBaseMs: settings.recoveryBaseMs,
      reconnectMaxMs: settings.recoveryMaxMs,
    }),
  };
}

export function createApp(deps: NexusDeps): Express {
  const ctx = nexusContext(deps);
  registerBacklogGauge(deps.metrics, () => readBacklog(deps.pool), deps.logger);
  return serviceApp(deps, {
    // A publish carries up to 1000 envelopes.
    bodyLimit: '16mb',
    routes: (_router, api) => {
      eventRoutes(api, ctx);
      streamRoutes(api, ctx, { heartbeatMs: ctx.settings.heartbeatMs, stopping: deps.stopping });
      subscriptionRoutes(api, ctx);
      deadLetterRoutes(api, ctx);
    },
  });
}

/** The delivery loop over `deps.pool`, with its own LISTEN connection; the caller starts and stops it. */
export function createNexusDispatcher(deps: NexusDeps): Dispatcher {
  const ctx = nexusContext(deps);
  return createDispatcher({
    ctx,
    attempt: createDeliveryAttempt(ctx),
    signal: createEventSignal({
      pool: deps.pool,
      logger: deps.logger,
      reconnectBaseMs: ctx.settings.recoveryBaseMs,
      reconnectMaxMs: ctx.settings.recoveryMaxMs,
    }),
  });
}

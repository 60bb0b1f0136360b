// Nexus event bus: the event log, subscriptions, deliveries and dead letters. createApp builds
// the use cases from deps and declares the routes; createNexusDispatcher builds the delivery
// loop, which server.ts (or a test) starts once the server listens. Neither starts anything, and
// the signal /stream listens on is held only while a stream is open. Where events are kept and
// fanned out is the backend: PostgreSQL (src/db), or a JetStream stream (src/nats) when deps.nats
// is given (NEXUS_BACKEND=nats).
import type { Express } from 'express';
import { readinessChecks, serviceApp, type CoreDeps } from '@azora/service-kit';
import { createPostgresBackend } from './db/backend';
import { createSender } from './delivery/sender';
import type { NexusBackend } from './domain/ports';
import { deliverySettings, type DeliverySettings } from './domain/settings';
import { nexusMetrics, registerBacklogGauge } from './metrics';
import { createNatsBackend } from './nats/backend';
import type { NatsStream } from './nats/stream';
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
  /** The JetStream stream (NEXUS_BACKEND=nats), opened by server.ts; PostgreSQL alone without it. */
  readonly nats?: NatsStream | undefined;
};

/** The backend the deployment chose, over `deps.pool` (and `deps.nats`). */
function nexusBackend(deps: NexusDeps, settings: DeliverySettings): NexusBackend {
  const { pool, logger, nats } = deps;
  return nats
    ? createNatsBackend({ pool, stream: nats, logger, settings })
    : createPostgresBackend({ pool, logger, settings });
}

/** The use cases' context over `deps`. */
function nexusContext(deps: NexusDeps, backend: NexusBackend, settings: DeliverySettings): NexusContext {
  return {
    clock: deps.clock,
    logger: deps.logger,
    metrics: nexusMetrics(deps.metrics),
    settings,
    send: createSender({ clock: deps.clock, timeoutMs: settings.timeoutMs }),
    log: backend.log,
    subscriptions: backend.subscriptions,
    deliveries: backend.deliveries,
    deadLetters: backend.deadLetters,
  };
}

export function createApp(deps: NexusDeps): Express {
  const settings = deliverySettings(deps.settings);
  const backend = nexusBackend(deps, settings);
  const ctx = nexusContext(deps, backend, settings);
  registerBacklogGauge(deps.metrics, () => backend.subscriptions.backlog(), deps.logger);
  return serviceApp(deps, {
    // A publish carries up to 1000 envelopes.
    bodyLimit: '16mb',
    checks: [...readinessChecks(deps), ...(deps.nats ? [deps.nats.check] : [])],
    routes: (_router, api) => {
      eventRoutes(api, ctx);
      streamRoutes(api, ctx, { heartbeatMs: ctx.settings.heartbeatMs, stopping: deps.stopping });
      subscriptionRoutes(api, ctx);
      deadLetterRoutes(api, ctx);
    },
  });
}

/** The delivery loop over `deps.pool` (and `deps.nats`), with a wake-up signal of its own; the
 * caller starts and stops it. */
export function createNexusDispatcher(deps: NexusDeps): Dispatcher {
  const settings = deliverySettings(deps.settings);
  const backend = nexusBackend(deps, settings);
  const ctx = nexusContext(deps, backend, settings);
  return createDispatcher({ ctx, attempt: createDeliveryAttempt(ctx), signal: backend.log.listen() });
}

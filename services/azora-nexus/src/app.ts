// Nexus event bus's HTTP app: the event log, subscriptions, deliveries and dead letters.
// createApp starts nothing: the dispatcher is created by createNexusDispatcher and started by
// server.ts (or by a test), and the /stream LISTEN client exists only while a stream is open.
import type { Express } from 'express';
import { createServiceApp, readinessChecks, type CoreDeps } from '@azora/service-kit';
import { createDeadLetterStore } from './db/dead-letters';
import { createEventSignal } from './db/event-signal';
import { readBacklog } from './db/subscriptions';
import { createSender } from './delivery/sender';
import { createDeadLetterRetry } from './domain/dead-letters';
import { deliverySettings, type DeliverySettings } from './domain/settings';
import { nexusMetrics, registerBacklogGauge } from './metrics';
import { serviceCredential } from './routes/auth';
import { deadLetterRoutes } from './routes/dead-letters';
import { eventRoutes } from './routes/events';
import { streamRoutes } from './routes/stream';
import { subscriptionRoutes } from './routes/subscriptions';

export type NexusDeps = CoreDeps & {
  /** Delivery and streaming settings; unset ones take the defaults (see src/domain/settings.ts). */
  readonly settings?: Partial<DeliverySettings> | undefined;
};

export function createApp(deps: NexusDeps): Express {
  const settings = deliverySettings(deps.settings);
  const metrics = nexusMetrics(deps.metrics);
  registerBacklogGauge(deps.metrics, () => readBacklog(deps.pool), deps.logger);
  const auth = serviceCredential(deps.serviceTokens);
  const send = createSender({ clock: deps.clock, timeoutMs: settings.timeoutMs });
  const retry = createDeadLetterRetry({ store: createDeadLetterStore(deps.pool), send, metrics });
  const streamSignal = createEventSignal({ pool: deps.pool, logger: deps.logger });

  return createServiceApp({
    service: deps.service,
    version: deps.version,
    logger: deps.logger,
    metrics: deps.metrics,
    checks: readinessChecks(deps),
    // A publish carries up to 1000 envelopes.
    bodyLimit: '16mb',
    routes: (router) => {
      eventRoutes(router, { pool: deps.pool, metrics, auth });
      subscriptionRoutes(router, { pool: deps.pool, auth });
      deadLetterRoutes(router, { pool: deps.pool, auth, retry });
      streamRoutes(router, {
        pool: deps.pool,
        signal: streamSignal,
        auth,
        heartbeatMs: settings.heartbeatMs,
        logger: deps.logger,
        stopping: deps.stopping,
      });
    },
  });
}

// Analytics's HTTP app: event tracking from clients and the bus into raw events and roll-ups,
// the reports read from them (active people, event counts, funnels, retention) and the export.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';
import { createPostgresStore } from './db/store';
import type { AnalyticsStore } from './domain/ports';
import { analyticsSettings, type AnalyticsSettings } from './domain/settings';
import { registerEventHandlers } from './events/handlers';
import { analyticsMetrics } from './metrics';
import { exportRoutes } from './routes/export';
import { reportRoutes } from './routes/reports';
import { countRejectedBatches, trackRoutes } from './routes/track';
import type { AnalyticsContext } from './use-cases/context';
import { createRoller } from './use-cases/rollups';

export type AnalyticsDeps = CoreDeps & {
  /** Retention and timestamp bounds; unset ones take the defaults (src/domain/settings.ts). */
  readonly settings?: Partial<AnalyticsSettings> | undefined;
  /** Where raw events and roll-ups live; PostgreSQL in the service's schema by default. */
  readonly store?: AnalyticsStore | undefined;
};

/** A /track body holds up to 1,000 events of at most ~4.5 KB each (properties 4 KB, the rest bounded). */
const TRACK_BODY_LIMIT = '5mb';

export function analyticsContext(deps: AnalyticsDeps): AnalyticsContext {
  const parts = {
    store: deps.store ?? createPostgresStore({ pool: deps.pool }),
    clock: deps.clock,
    metrics: analyticsMetrics(deps.metrics),
    logger: deps.logger,
  };
  return { ...parts, settings: analyticsSettings(deps.settings), rollups: createRoller(parts) };
}

export function createApp(deps: AnalyticsDeps, ctx: AnalyticsContext = analyticsContext(deps)): Express {
  registerEventHandlers(deps.events, ctx);
  return serviceApp(deps, {
    bodyLimit: TRACK_BODY_LIMIT,
    beforeBodyParsing: (app) => countRejectedBatches(app, ctx),
    routes: (_router, api) => {
      trackRoutes(api, ctx);
      reportRoutes(api, ctx);
      exportRoutes(api, ctx, deps.stopping);
    },
  });
}

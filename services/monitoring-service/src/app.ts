// Monitoring's HTTP app: health history, the status page and aggregated metrics.
import type { Express } from 'express';
import { createServiceApp, readinessChecks, type CoreDeps } from '@azora/service-kit';

export type MonitoringDeps = CoreDeps;

export function createApp(deps: MonitoringDeps): Express {
  return createServiceApp({
    service: deps.service,
    version: deps.version,
    logger: deps.logger,
    metrics: deps.metrics,
    checks: readinessChecks(deps),
    users: deps.users,
    serviceTokens: deps.serviceTokens,
    consumer: deps.events,
    routes: () => {
      // The domain routes of Monitoring mount here.
    },
  });
}

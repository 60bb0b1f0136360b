// Forge's HTTP app: jobs, applications, skill profiles and matching.
import type { Express } from 'express';
import { createServiceApp, readinessChecks, type CoreDeps } from '@azora/service-kit';

export type ForgeDeps = CoreDeps;

export function createApp(deps: ForgeDeps): Express {
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
      // The domain routes of Forge mount here.
    },
  });
}

// AI Family's HTTP app: personas, conversations, messages and usage budgets.
import type { Express } from 'express';
import { createServiceApp, readinessChecks, type CoreDeps } from '@azora/service-kit';

export type AiFamilyDeps = CoreDeps;

export function createApp(deps: AiFamilyDeps): Express {
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
      // The domain routes of AI Family mount here.
    },
  });
}

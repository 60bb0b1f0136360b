// API Gateway's HTTP app: users, credentials and refresh tokens, and routing to every service.
import type { Express } from 'express';
import { createServiceApp, readinessChecks, type CoreDeps } from '@azora/service-kit';

export type ApiGatewayDeps = CoreDeps;

export function createApp(deps: ApiGatewayDeps): Express {
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
      // The domain routes of API Gateway mount here.
    },
  });
}

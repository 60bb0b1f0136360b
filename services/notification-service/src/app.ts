// Notification's HTTP app: the in-app inbox, preferences, deliveries, push subscriptions and the mail sink.
import type { Express } from 'express';
import { createServiceApp, readinessChecks, type CoreDeps } from '@azora/service-kit';

export type NotificationDeps = CoreDeps;

export function createApp(deps: NotificationDeps): Express {
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
      // The domain routes of Notification mount here.
    },
  });
}

// Education's HTTP app: courses, lessons, enrolments and progress.
import type { Express } from 'express';
import { createServiceApp, readinessChecks, type CoreDeps } from '@azora/service-kit';

export type EducationDeps = CoreDeps;

export function createApp(deps: EducationDeps): Express {
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
      // The domain routes of Education mount here.
    },
  });
}

// Education's HTTP app: courses, lessons, enrolments and progress, reward eligibility, and the
// Pay events that grant and revoke access to paid courses.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';
import { registerEventHandlers } from './events/handlers';
import { educationMetrics } from './metrics';
import { aiFamilyRoutes } from './routes/ai-family';
import { courseRoutes } from './routes/courses';
import { enrollmentRoutes } from './routes/enrollments';
import { lessonRoutes } from './routes/lessons';
import { rewardRoutes } from './routes/rewards';
import type { EducationContext } from './use-cases/context';

export type EducationDeps = CoreDeps;

export function createApp(deps: EducationDeps): Express {
  const ctx: EducationContext = {
    pool: deps.pool,
    clock: deps.clock,
    publish: deps.publish,
    metrics: educationMetrics(deps.metrics),
    logger: deps.logger,
  };
  registerEventHandlers(deps.events, ctx);
  return serviceApp(deps, {
    routes: (_router, api) => {
      courseRoutes(api, ctx);
      lessonRoutes(api, ctx);
      enrollmentRoutes(api, ctx);
      rewardRoutes(api, ctx);
      aiFamilyRoutes(api, ctx);
    },
  });
}

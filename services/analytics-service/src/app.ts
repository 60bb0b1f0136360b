// Analytics's HTTP app: raw events, rollups, funnels and retention.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';

export type AnalyticsDeps = CoreDeps;

export function createApp(deps: AnalyticsDeps): Express {
  return serviceApp(deps, {
    routes: () => {
      // The domain routes of Analytics mount here.
    },
  });
}

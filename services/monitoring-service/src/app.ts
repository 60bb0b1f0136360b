// Monitoring's HTTP app: health history, the status page and aggregated metrics.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';

export type MonitoringDeps = CoreDeps;

export function createApp(deps: MonitoringDeps): Express {
  return serviceApp(deps, {
    routes: () => {
      // The domain routes of Monitoring mount here.
    },
  });
}

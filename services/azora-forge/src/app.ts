// Forge's HTTP app: jobs, applications, skill profiles and matching.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';

export type ForgeDeps = CoreDeps;

export function createApp(deps: ForgeDeps): Express {
  return serviceApp(deps, {
    routes: () => {
      // The domain routes of Forge mount here.
    },
  });
}

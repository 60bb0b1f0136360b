// Pay's HTTP app: payments, refunds and processed provider events.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';

export type PayDeps = CoreDeps;

export function createApp(deps: PayDeps): Express {
  return serviceApp(deps, {
    routes: () => {
      // The domain routes of Pay mount here.
    },
  });
}

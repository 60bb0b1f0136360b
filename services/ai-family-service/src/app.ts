// AI Family's HTTP app: personas, conversations, messages and usage budgets.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';

export type AiFamilyDeps = CoreDeps;

export function createApp(deps: AiFamilyDeps): Express {
  return serviceApp(deps, {
    routes: () => {
      // The domain routes of AI Family mount here.
    },
  });
}

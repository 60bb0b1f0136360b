// Mint's HTTP app: wallets, the double-entry AZR ledger and escrow.
import type { Express } from 'express';
import { createServiceApp, readinessChecks, type CoreDeps } from '@azora/service-kit';

export type MintDeps = CoreDeps;

export function createApp(deps: MintDeps): Express {
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
      // The domain routes of Mint mount here.
    },
  });
}

// Forge's HTTP app: jobs with escrowed rewards, the board and its recommendations, applications,
// skill profiles from completed courses, and employer verification. createForgeService builds the
// app and the escrow reconciler over one context; it starts neither: server.ts (or a test) starts
// the reconciler once the server listens.
import type { Express } from 'express';
import { createHttpClient, serviceApp, type CoreDeps } from '@azora/service-kit';
import { createMintEscrow } from './clients/mint-escrow';
import { DEFAULT_FORGE_SETTINGS, type ForgeConfig, type ForgeSettings } from './config';
import type { EscrowLedger } from './domain/ports';
import { registerEventHandlers } from './events/handlers';
import { forgeMetrics } from './metrics';
import { applicationRoutes } from './routes/applications';
import { jobRoutes } from './routes/jobs';
import { profileRoutes } from './routes/profiles';
import type { ForgeContext } from './use-cases/context';
import { createReconciler, type Reconciler } from './use-cases/reconciler';

export type ForgeDeps = CoreDeps & {
  /** Mint's escrow; by default its HTTP API at the configured URL, with this service's credential. */
  readonly escrow?: EscrowLedger | undefined;
};

export interface ForgeService {
  readonly app: Express;
  readonly reconciler: Reconciler;
  readonly context: ForgeContext;
}

export function createForgeService(deps: ForgeDeps, settings: ForgeSettings = DEFAULT_FORGE_SETTINGS): ForgeService {
  const http = createHttpClient();
  const ctx: ForgeContext = {
    pool: deps.pool,
    clock: deps.clock,
    publish: deps.publish,
    metrics: forgeMetrics(deps.metrics),
    logger: deps.logger,
    escrow:
      deps.escrow ??
      createMintEscrow({
        baseUrl: settings.mintUrl,
        http,
        credentials: deps.credentials,
        timeoutMs: settings.mintTimeoutMs,
        logger: deps.logger,
      }),
  };
  registerEventHandlers(deps.events, ctx);
  const app = serviceApp(deps, {
    routes: (_router, api) => {
      // Fixed paths (/jobs/recommended) before `/jobs/:id`, so that no word is read as a job id.
      jobRoutes(api, ctx);
      applicationRoutes(api, ctx);
      profileRoutes(api, ctx);
    },
  });
  return { app, reconciler: createReconciler(ctx, settings.reconcile), context: ctx };
}

export function createApp(deps: ForgeDeps, config?: ForgeConfig): Express {
  return createForgeService(deps, config?.forge).app;
}

// Analytics's process: config, database, migrations, listen; the roller and raw storage upkeep
// once listening; graceful stop on SIGTERM.
import '@azora/service-kit/tracing';
import path from 'node:path';
import { serve } from '@azora/service-kit';
import { analyticsContext, createApp } from './app';
import { loadConfig, SERVICE, type AnalyticsConfig } from './config';
import type { AnalyticsContext } from './use-cases/context';
import { createMaintenance, type Maintenance } from './use-cases/maintenance';

let background: { ctx: AnalyticsContext; maintenance: Maintenance; config: AnalyticsConfig } | undefined;

serve<AnalyticsConfig>({
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  createApp: (deps, config) => {
    const appDeps = { ...deps, settings: config.analytics };
    const ctx = analyticsContext(appDeps);
    // Raw storage upkeep and the roller start once listening, never in createApp (tests drive them).
    background = { ctx, maintenance: createMaintenance(ctx), config };
    return createApp(appDeps, ctx);
  },
  onStarted: () => {
    background?.maintenance.start(background.config.maintenanceIntervalMs);
    background?.ctx.rollups.start(background.config.rollupIntervalMs);
  },
  // The roller finishes its transaction; batches still queued are rolled up after a restart.
  onClose: [() => background?.ctx.rollups.stop(), () => background?.maintenance.stop()],
});

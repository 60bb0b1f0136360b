// Analytics's process: config, database, migrations, listen; raw storage upkeep once listening;
// graceful stop on SIGTERM.
import '@azora/service-kit/tracing';
import path from 'node:path';
import { serve } from '@azora/service-kit';
import { analyticsContext, createAnalyticsMaintenance, createApp } from './app';
import { loadConfig, SERVICE, type AnalyticsConfig } from './config';
import type { Maintenance } from './use-cases/maintenance';

let maintenance: { run: Maintenance; intervalMs: number } | undefined;

serve<AnalyticsConfig>({
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  createApp: (deps, config) => {
    const appDeps = { ...deps, settings: config.analytics };
    const ctx = analyticsContext(appDeps);
    maintenance = { run: createAnalyticsMaintenance(ctx), intervalMs: config.maintenanceIntervalMs };
    return createApp(appDeps, ctx);
  },
  onStarted: () => maintenance?.run.start(maintenance.intervalMs),
  onClose: [() => maintenance?.run.stop()],
});

// Monitoring's HTTP app: the status of every service, its history, incidents, the bus's health
// and the status page; and the loop that probes the services (started by server.ts).
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';
import { createHttpBusSources } from './clients/bus-sources';
import { createHttpProber } from './clients/probes';
import { defaultSettings, type MonitoringConfig, type MonitoringSettings } from './config';
import { monitoringMetrics } from './metrics';
import { pageRoutes } from './routes/page';
import { statusRoutes } from './routes/status';
import { createBusBoard, type MonitoringContext } from './use-cases/context';
import { createMonitor, type Monitor } from './use-cases/monitor';

export type MonitoringDeps = CoreDeps;

export interface MonitoringOptions {
  settings?: MonitoringSettings | undefined;
  /** Sent to each service's /metrics when the deployment protects them. */
  metricsToken?: string | undefined;
  /** Replace the HTTP probes and bus sources (tests). */
  prober?: MonitoringContext['prober'] | undefined;
  busSources?: MonitoringContext['busSources'] | undefined;
}

export interface Monitoring {
  readonly app: Express;
  readonly ctx: MonitoringContext;
  readonly monitor: Monitor;
}

export function createMonitoring(deps: MonitoringDeps, options: MonitoringOptions = {}): Monitoring {
  const settings = options.settings ?? defaultSettings();
  const ctx: MonitoringContext = {
    pool: deps.pool,
    clock: deps.clock,
    logger: deps.logger,
    metrics: monitoringMetrics(deps.metrics),
    settings,
    prober: options.prober ?? createHttpProber({ timeoutMs: settings.probeTimeoutMs }),
    busSources:
      options.busSources ??
      createHttpBusSources({
        timeoutMs: settings.probeTimeoutMs,
        metricsToken: options.metricsToken,
        credentials: deps.credentials,
      }),
    bus: createBusBoard(),
  };
  const app = serviceApp(deps, {
    routes: (_router, api) => {
      statusRoutes(api, ctx);
      pageRoutes(api, { refreshMs: settings.pageRefreshMs });
    },
  });
  return { app, ctx, monitor: createMonitor(ctx) };
}

export function createApp(deps: MonitoringDeps, config?: MonitoringConfig): Express {
  return createMonitoring(deps, { settings: config?.monitoring, metricsToken: config?.metricsToken }).app;
}

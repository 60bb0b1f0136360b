// Monitoring's configuration, parsed once from the environment at start-up: where each service
// of the catalog lives (its `<NAME>_URL`), how often and how patiently it is probed, what counts
// as degraded, and how long the history is kept.
import { z } from 'zod';
import { SERVICES, serviceInfo, serviceUrlVariable } from '@azora/contracts';
import { baseServiceConfig, intVar, readConfigOrExit, urlVar } from '@azora/service-kit';
import type { Target } from './domain/records';
import type { HealthThresholds } from './domain/health';

export const SERVICE = serviceInfo('monitoring-service');

const peerUrls = Object.fromEntries(SERVICES.map((s) => [serviceUrlVariable(s.name), urlVar().optional()]));

const monitoringSettings = z
  .looseObject({
    ...peerUrls,
    MONITORING_PROBE_INTERVAL_MS: intVar(10_000, 100),
    MONITORING_PROBE_TIMEOUT_MS: intVar(3_000, 50),
    MONITORING_DEGRADED_LATENCY_MS: intVar(1_000, 1),
    MONITORING_UNHEALTHY_AFTER: intVar(2, 1, 20),
    MONITORING_FLAP_WINDOW: intVar(6, 1, 100),
    MONITORING_RETENTION_HOURS: intVar(48, 1, 24 * 30),
    MONITORING_HISTORY_DAYS: intVar(30, 1, 366),
    MONITORING_BUS_INTERVAL_MS: intVar(15_000, 100),
    MONITORING_PAGE_REFRESH_MS: intVar(10_000, 200),
  })
  .refine((env) => env.MONITORING_FLAP_WINDOW >= env.MONITORING_UNHEALTHY_AFTER, {
    path: ['MONITORING_FLAP_WINDOW'],
    message: 'must be at least MONITORING_UNHEALTHY_AFTER',
  })
  .transform((env) => ({
    targets: SERVICES.map((s): Target => ({
      name: s.name,
      title: s.title,
      url: ((env[serviceUrlVariable(s.name)] as string | undefined) ?? `http://127.0.0.1:${s.port}`).replace(
        /\/+$/,
        '',
      ),
    })),
    probeIntervalMs: env.MONITORING_PROBE_INTERVAL_MS,
    probeTimeoutMs: env.MONITORING_PROBE_TIMEOUT_MS,
    thresholds: {
      degradedLatencyMs: env.MONITORING_DEGRADED_LATENCY_MS,
      unhealthyAfter: env.MONITORING_UNHEALTHY_AFTER,
      flapWindow: env.MONITORING_FLAP_WINDOW,
    } satisfies HealthThresholds,
    retentionHours: env.MONITORING_RETENTION_HOURS,
    historyDays: env.MONITORING_HISTORY_DAYS,
    busIntervalMs: env.MONITORING_BUS_INTERVAL_MS,
    pageRefreshMs: env.MONITORING_PAGE_REFRESH_MS,
  }));
export type MonitoringSettings = z.output<typeof monitoringSettings>;

export const configSchema = baseServiceConfig(SERVICE.schema, SERVICE.port);

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const base = readConfigOrExit(configSchema, env);
  return { ...base, monitoring: readConfigOrExit(monitoringSettings, env) };
}
export type MonitoringConfig = ReturnType<typeof loadConfig>;

/** The settings with every default: what tests start from. */
export function defaultSettings(env: Record<string, string> = {}): MonitoringSettings {
  return monitoringSettings.parse(env);
}

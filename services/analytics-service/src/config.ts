// Analytics's configuration, parsed once from the environment at start-up.
import { z } from 'zod';
import { serviceInfo } from '@azora/contracts';
import { baseServiceConfig, readConfigOrExit } from '@azora/service-kit';
import { DEFAULT_SETTINGS, type AnalyticsSettings } from './domain/settings';

export const SERVICE = serviceInfo('analytics-service');

const whole = (error: string, min: number, max: number, fallback: number) =>
  z.coerce.number({ error }).int().min(min).max(max).default(fallback);

const analyticsVariables = z.object({
  RAW_EVENTS_RETENTION_DAYS: whole('expected a number of days', 7, 36_500, DEFAULT_SETTINGS.rawRetentionDays),
  TRACK_MAX_EVENT_AGE_DAYS: whole('expected a number of days', 1, 36_500, DEFAULT_SETTINGS.maxEventAgeDays),
  TRACK_MAX_CLOCK_SKEW_SECONDS: whole('expected a number of seconds', 0, 86_400, DEFAULT_SETTINGS.maxClockSkewSeconds),
  PARTITIONS_AHEAD_WEEKS: whole('expected a number of weeks', 1, 52, DEFAULT_SETTINGS.partitionsAheadWeeks),
  MAINTENANCE_INTERVAL_SECONDS: whole('expected a number of seconds', 60, 86_400, 3_600),
  ROLLUP_INTERVAL_MS: whole('expected a number of milliseconds', 50, 60_000, 250),
});

export const configSchema = z
  .intersection(baseServiceConfig(SERVICE.schema, SERVICE.port), analyticsVariables)
  .transform(
    ({
      RAW_EVENTS_RETENTION_DAYS,
      TRACK_MAX_EVENT_AGE_DAYS,
      TRACK_MAX_CLOCK_SKEW_SECONDS,
      PARTITIONS_AHEAD_WEEKS,
      MAINTENANCE_INTERVAL_SECONDS,
      ROLLUP_INTERVAL_MS,
      ...base
    }) => ({
      ...base,
      analytics: {
        rawRetentionDays: RAW_EVENTS_RETENTION_DAYS,
        maxEventAgeDays: TRACK_MAX_EVENT_AGE_DAYS,
        maxClockSkewSeconds: TRACK_MAX_CLOCK_SKEW_SECONDS,
        partitionsAheadWeeks: PARTITIONS_AHEAD_WEEKS,
      } satisfies AnalyticsSettings,
      maintenanceIntervalMs: MAINTENANCE_INTERVAL_SECONDS * 1000,
      rollupIntervalMs: ROLLUP_INTERVAL_MS,
    }),
  );

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return readConfigOrExit(configSchema, env);
}
export type AnalyticsConfig = ReturnType<typeof loadConfig>;

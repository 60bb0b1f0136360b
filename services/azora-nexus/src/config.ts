// Nexus event bus's configuration, parsed once from the environment at start-up.
import { z } from 'zod';
import { serviceInfo } from '@azora/contracts';
import { baseServiceConfig, readConfigOrExit } from '@azora/service-kit';
import { DEFAULT_SETTINGS, type DeliverySettings } from './domain/settings';

export const SERVICE = serviceInfo('azora-nexus');

const count = (fallback: number, max: number) =>
  z.coerce.number({ error: 'expected a whole number' }).int().min(1).max(max).default(fallback);
const millis = (fallback: number) =>
  z.coerce.number({ error: 'expected milliseconds' }).int().min(1).max(3_600_000).default(fallback);

const deliveryVariables = z.object({
  NEXUS_MAX_ATTEMPTS: count(DEFAULT_SETTINGS.maxAttempts, 1000),
  NEXUS_DELIVERY_BATCH: count(DEFAULT_SETTINGS.batchSize, 1000),
  NEXUS_DELIVERY_TIMEOUT_MS: millis(DEFAULT_SETTINGS.timeoutMs),
  NEXUS_BACKOFF_BASE_MS: millis(DEFAULT_SETTINGS.backoffBaseMs),
  NEXUS_BACKOFF_MAX_MS: millis(DEFAULT_SETTINGS.backoffMaxMs),
  NEXUS_DELIVERY_CONCURRENCY: count(DEFAULT_SETTINGS.concurrency, 100),
});

export const configSchema = z
  .intersection(baseServiceConfig(SERVICE.schema, SERVICE.port), deliveryVariables)
  .transform(
    ({
      NEXUS_MAX_ATTEMPTS,
      NEXUS_DELIVERY_BATCH,
      NEXUS_DELIVERY_TIMEOUT_MS,
      NEXUS_BACKOFF_BASE_MS,
      NEXUS_BACKOFF_MAX_MS,
      NEXUS_DELIVERY_CONCURRENCY,
      ...base
    }) => ({
      ...base,
      delivery: {
        ...DEFAULT_SETTINGS,
        maxAttempts: NEXUS_MAX_ATTEMPTS,
        batchSize: NEXUS_DELIVERY_BATCH,
        timeoutMs: NEXUS_DELIVERY_TIMEOUT_MS,
        backoffBaseMs: NEXUS_BACKOFF_BASE_MS,
        backoffMaxMs: NEXUS_BACKOFF_MAX_MS,
        concurrency: NEXUS_DELIVERY_CONCURRENCY,
      } satisfies DeliverySettings,
    }),
  );

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return readConfigOrExit(configSchema, env);
}
export type NexusConfig = ReturnType<typeof loadConfig>;

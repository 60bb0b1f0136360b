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

/** A comma-separated list of NATS server URLs. */
const natsServers = z
  .string()
  .regex(
    /^(nats|tls|ws|wss):\/\/[^\s,]+(\s*,\s*(nats|tls|ws|wss):\/\/[^\s,]+)*$/,
    'expected nats://host:port, or several separated by commas',
  );

// Where events are kept and fanned out: PostgreSQL alone, or a NATS JetStream stream (with
// subscriptions, delivery state and dead letters still in PostgreSQL); see the README.
const backendVariables = z
  .object({
    NEXUS_BACKEND: z.enum(['postgres', 'nats']).default('postgres'),
    NATS_URL: natsServers.optional(),
    NATS_STREAM: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a stream name of letters, digits, _ and -')
      .default('NEXUS_EVENTS'),
    NATS_DUPLICATE_WINDOW_MS: z.coerce
      .number({ error: 'expected milliseconds' })
      .int()
      .min(1_000)
      .max(86_400_000)
      .default(600_000),
    NATS_REPLICAS: count(1, 5),
  })
  .superRefine(({ NEXUS_BACKEND, NATS_URL }, ctx) => {
    if (NEXUS_BACKEND === 'nats' && NATS_URL === undefined)
      ctx.addIssue({ code: 'custom', path: ['NATS_URL'], message: 'required when NEXUS_BACKEND=nats' });
  })
  .transform(({ NEXUS_BACKEND, NATS_URL, NATS_STREAM, NATS_DUPLICATE_WINDOW_MS, NATS_REPLICAS }) => ({
    backend:
      NEXUS_BACKEND === 'nats' && NATS_URL !== undefined
        ? {
            kind: 'nats' as const,
            servers: NATS_URL,
            stream: NATS_STREAM,
            duplicateWindowMs: NATS_DUPLICATE_WINDOW_MS,
            replicas: NATS_REPLICAS,
          }
        : { kind: 'postgres' as const },
  }));

export const configSchema = z
  .intersection(z.intersection(baseServiceConfig(SERVICE.schema, SERVICE.port), deliveryVariables), backendVariables)
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

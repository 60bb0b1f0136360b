// Notification's configuration, parsed once from the environment at start-up: the settings every
// service has, then mail (SMTP_URL or the embedded sink), Web Push (VAPID keys) and deliveries.
import path from 'node:path';
import { z } from 'zod';
import { serviceInfo } from '@azora/contracts';
import { baseServiceConfig, intVar, readConfigOrExit } from '@azora/service-kit';
import { DEFAULT_PUSH_HOSTS, DEFAULT_SETTINGS } from './domain/settings';

export const SERVICE = serviceInfo('notification-service');

/** The repository root, from src/ and from dist/ alike: where `.data/` is by default. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const { delivery, stream } = DEFAULT_SETTINGS;

const notificationVariables = z.object({
  /** smtp://user:pass@host:587 or smtps://...: the real mail server. Unset: the embedded sink. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'expected an smtp:// or smtps:// URL' }).optional(),
  SMTP_TIMEOUT_MS: intVar(30_000, 1_000, 600_000),
  MAIL_FROM: z.string().min(3).default('Azora <no-reply@azora.local>'),
  /** The embedded sink's port on 127.0.0.1; 0 takes any free port (logged at start-up). */
  MAIL_SINK_PORT: intVar(0, 0, 65_535),
  MAIL_SINK_MAX_BYTES: intVar(10 * 1024 * 1024, 1_024, 100 * 1024 * 1024),
  AZORA_DATA_DIR: z.string().min(1).optional(),
  VAPID_PUBLIC_KEY: z.string().min(20).optional(),
  VAPID_PRIVATE_KEY: z.string().min(20).optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, 'expected a mailto: address or an https:// URL')
    .default('mailto:no-reply@azora.local'),
  /** Where generated keys are kept; default $AZORA_DATA_DIR/keys/vapid.json. */
  VAPID_KEYS_FILE: z.string().min(1).optional(),
  PUSH_ALLOWED_HOSTS: z
    .string()
    .default(DEFAULT_PUSH_HOSTS.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== ''),
    ),
  PUSH_TIMEOUT_MS: intVar(10_000, 100, 120_000),
  PUSH_TTL_SECONDS: intVar(86_400, 0, 2_419_200),
  NOTIFICATION_MAX_ATTEMPTS: intVar(delivery.maxAttempts, 1, 100),
  NOTIFICATION_RETRY_BASE_MS: intVar(delivery.retryBaseMs, 10, 86_400_000),
  NOTIFICATION_RETRY_MAX_MS: intVar(delivery.retryMaxMs, 10, 7 * 86_400_000),
  NOTIFICATION_CONCURRENCY: intVar(delivery.concurrency, 1, 256),
  NOTIFICATION_POLL_MS: intVar(delivery.pollMs, 10, 60_000),
  NOTIFICATION_LEASE_MS: intVar(delivery.leaseMs, 1_000, 3_600_000),
  NOTIFICATION_STREAM_POLL_MS: intVar(stream.pollMs, 10, 60_000),
  NOTIFICATION_STREAM_HEARTBEAT_MS: intVar(stream.heartbeatMs, 100, 120_000),
});

export const configSchema = z
  .intersection(baseServiceConfig(SERVICE.schema, SERVICE.port), notificationVariables)
  .superRefine((env, ctx) => {
    if ((env.VAPID_PUBLIC_KEY === undefined) !== (env.VAPID_PRIVATE_KEY === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [env.VAPID_PUBLIC_KEY === undefined ? 'VAPID_PUBLIC_KEY' : 'VAPID_PRIVATE_KEY'],
        message: 'set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (then a pair is generated)',
      });
  })
  .transform((env) => {
    const dataDir = path.resolve(env.AZORA_DATA_DIR ?? path.join(REPO_ROOT, '.data'));
    return {
      ...env,
      mail: {
        smtpUrl: env.SMTP_URL,
        timeoutMs: env.SMTP_TIMEOUT_MS,
        from: env.MAIL_FROM,
        sinkPort: env.MAIL_SINK_PORT,
        sinkMaxBytes: env.MAIL_SINK_MAX_BYTES,
      },
      push: {
        publicKey: env.VAPID_PUBLIC_KEY,
        privateKey: env.VAPID_PRIVATE_KEY,
        subject: env.VAPID_SUBJECT,
        keysFile: path.resolve(env.VAPID_KEYS_FILE ?? path.join(dataDir, 'keys', 'vapid.json')),
        timeoutMs: env.PUSH_TIMEOUT_MS,
        ttlSeconds: env.PUSH_TTL_SECONDS,
      },
      settings: {
        delivery: {
          maxAttempts: env.NOTIFICATION_MAX_ATTEMPTS,
          retryBaseMs: env.NOTIFICATION_RETRY_BASE_MS,
          retryMaxMs: Math.max(env.NOTIFICATION_RETRY_MAX_MS, env.NOTIFICATION_RETRY_BASE_MS),
          concurrency: env.NOTIFICATION_CONCURRENCY,
          pollMs: env.NOTIFICATION_POLL_MS,
          leaseMs: env.NOTIFICATION_LEASE_MS,
        },
        stream: { pollMs: env.NOTIFICATION_STREAM_POLL_MS, heartbeatMs: env.NOTIFICATION_STREAM_HEARTBEAT_MS },
        pushAllowedHosts: env.PUSH_ALLOWED_HOSTS,
      },
    };
  });

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return readConfigOrExit(configSchema, env);
}
export type NotificationConfig = ReturnType<typeof loadConfig>;

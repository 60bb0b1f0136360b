// API Gateway's configuration, parsed once from the environment at start-up: token lifetimes,
// key rotation, the administrator, rate limits, CORS, and where and how to reach each service.
import { z } from 'zod';
import { Email, Password, serviceInfo, serviceUrlVariable } from '@azora/contracts';
import { baseServiceConfig, ConfigError, urlVar } from '@azora/service-kit';
import { DEFAULT_SETTINGS, type GatewaySettings } from './domain/settings';
import { checkIdentityVariables, identityConfig, identityVariables, parseEnvironment } from './identity-config';
import { catalogUpstreams, PUBLIC_SERVICES } from './proxy/upstreams';

export const SERVICE = serviceInfo('api-gateway');

const whole = (fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number({ error: 'expected a whole number' }).int().min(min).max(max).default(fallback);
const optionalWhole = (min = 1) => z.coerce.number({ error: 'expected a whole number' }).int().min(min).optional();

/** PROXY_TIMEOUT_MS_AI and so on: one optional override per public prefix. */
export const timeoutVariable = (prefix: string) => `PROXY_TIMEOUT_MS_${prefix.toUpperCase()}`;

const { proxy, rateLimit } = DEFAULT_SETTINGS;

const gatewayVariables = z
  .object({
    ADMIN_EMAIL: Email.optional(),
    ADMIN_PASSWORD: Password.optional(),
    ADMIN_NAME: z.string().trim().min(1).max(100).default('Administrator'),
    ...identityVariables,
    ACCESS_TOKEN_TTL_SECONDS: whole(DEFAULT_SETTINGS.accessTokenTtlSeconds, 5, 24 * 3600),
    REFRESH_TOKEN_TTL_SECONDS: whole(DEFAULT_SETTINGS.refreshTokenTtlSeconds, 60),
    SIGNING_KEY_ROTATION_DAYS: z.coerce
      .number({ error: 'expected a number of days' })
      .positive()
      .default(DEFAULT_SETTINGS.signingKeyMaxAgeSeconds / 86_400),
    AUTH_RATE_LIMIT_WINDOW_SECONDS: whole(rateLimit.windowSeconds),
    AUTH_RATE_LIMIT_PER_IP: whole(rateLimit.perIp),
    AUTH_RATE_LIMIT_PER_ACCOUNT: whole(rateLimit.perAccount),
    AUTH_LOGIN_MAX_DELAY_SECONDS: whole(rateLimit.maxDelaySeconds),
    CORS_ORIGINS: z.string().default(''),
    GATEWAY_BODY_LIMIT_BYTES: whole(proxy.bodyLimitBytes, 1024),
    PROXY_TIMEOUT_MS: whole(proxy.timeoutMs, 10),
    GATEWAY_BODY_TIMEOUT_MS: whole(proxy.bodyTimeoutMs, 100),
    BREAKER_FAILURE_THRESHOLD: whole(proxy.breakerFailureThreshold),
    BREAKER_PROBE_INTERVAL_MS: whole(proxy.breakerProbeIntervalMs, 50, 60_000),
    GATEWAY_WRITE_RATE_LIMIT: whole(proxy.writeRateLimit.points),
    GATEWAY_WRITE_RATE_LIMIT_WINDOW_SECONDS: whole(proxy.writeRateLimit.windowSeconds),
    GATEWAY_HEALTH_CACHE_MS: whole(proxy.healthCacheMs, 0),
    ...Object.fromEntries(PUBLIC_SERVICES.map((s) => [timeoutVariable(s.prefix), optionalWhole(10)])),
    ...Object.fromEntries(PUBLIC_SERVICES.map((s) => [serviceUrlVariable(s.name), urlVar().optional()])),
  })
  .superRefine((env, ctx) => {
    if (env.ADMIN_EMAIL && !env.ADMIN_PASSWORD)
      ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'required when ADMIN_EMAIL is set' });
    if (env.ADMIN_PASSWORD && !env.ADMIN_EMAIL)
      ctx.addIssue({ code: 'custom', path: ['ADMIN_EMAIL'], message: 'required when ADMIN_PASSWORD is set' });
    checkIdentityVariables(env, ctx);
  });

type GatewayVariables = z.infer<typeof gatewayVariables>;

function gatewayConfig(env: GatewayVariables) {
  const record = env as Record<string, unknown>;
  const timeouts = Object.fromEntries(
    PUBLIC_SERVICES.flatMap((s) => {
      const value = record[timeoutVariable(s.prefix)];
      return typeof value === 'number' ? [[s.prefix, value]] : [];
    }),
  );
  const urls = Object.fromEntries(
    PUBLIC_SERVICES.flatMap((s) => {
      const value = record[serviceUrlVariable(s.name)];
      return typeof value === 'string' ? [[s.name, value]] : [];
    }),
  );
  const identity = identityConfig(env);
  const settings: GatewaySettings = {
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    signingKeyMaxAgeSeconds: Math.round(env.SIGNING_KEY_ROTATION_DAYS * 86_400),
    rateLimit: {
      ...rateLimit,
      windowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS,
      perIp: env.AUTH_RATE_LIMIT_PER_IP,
      perAccount: env.AUTH_RATE_LIMIT_PER_ACCOUNT,
      maxDelaySeconds: env.AUTH_LOGIN_MAX_DELAY_SECONDS,
    },
    proxy: {
      ...proxy,
      bodyLimitBytes: env.GATEWAY_BODY_LIMIT_BYTES,
      timeoutMs: env.PROXY_TIMEOUT_MS,
      timeouts,
      bodyTimeoutMs: env.GATEWAY_BODY_TIMEOUT_MS,
      breakerFailureThreshold: env.BREAKER_FAILURE_THRESHOLD,
      breakerProbeIntervalMs: env.BREAKER_PROBE_INTERVAL_MS,
      writeRateLimit: {
        points: env.GATEWAY_WRITE_RATE_LIMIT,
        windowSeconds: env.GATEWAY_WRITE_RATE_LIMIT_WINDOW_SECONDS,
      },
      healthCacheMs: env.GATEWAY_HEALTH_CACHE_MS,
    },
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    trustProxy: identity.trustProxy,
  };
  return {
    settings,
    upstreams: catalogUpstreams(urls),
    admin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD
        ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, name: env.ADMIN_NAME }
        : undefined,
    signingKeyPem: identity.signingKeyPem,
    keyEncryptionKey: identity.keyEncryptionKey,
  };
}

/** The kit's base settings and the gateway's own section, without the raw variables behind it. */
export const configSchema = z.intersection(
  baseServiceConfig(SERVICE.schema, SERVICE.port),
  gatewayVariables.transform((env) => ({ gateway: gatewayConfig(env) })),
);

/** The configuration, or a ConfigError naming each bad variable without printing its value. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseEnvironment(configSchema, env);
}

/** parseConfig for the process: a bad configuration is printed and the process exits 1. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  try {
    return parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
export type ApiGatewayConfig = ReturnType<typeof loadConfig>;

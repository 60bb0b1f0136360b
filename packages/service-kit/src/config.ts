// Configuration: process.env parsed once with a zod schema; a bad value stops the process
// with a message that names the variable and what was expected.
import { z } from 'zod';
import { SERVICES, databaseUrlVariable, serviceUrlVariable } from '@azora/contracts';
import { DEFAULT_SERVER_LIMITS } from './server-limits';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Parses `env` with `schema`; throws ConfigError naming every bad variable. An empty
 * variable counts as unset, as `FOO= command` means in a shell. */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.infer<S> {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(set);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
    // The value is never printed: it may be a secret (a password, a key, a connection string).
    const got = value === undefined || value === '' ? 'it is not set' : 'the value given is not valid';
    return `${name}: ${issue.message} (${got})`;
  });
  throw new ConfigError(problems);
}

/** loadConfig for a process entry point: prints the problem and exits 1 instead of throwing. */
export function readConfigOrExit<S extends z.ZodType>(schema: S, env: Env = process.env): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

export const portVar = (fallback: number) =>
  z.coerce.number({ error: 'expected a port number' }).int().min(0).max(65535).default(fallback);

/** A whole number from `min` to `max` (inclusive), `fallback` when unset. */
export const intVar = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number({ error: 'expected a whole number' }).int().min(min).max(max).default(fallback);

export const urlVar = () => z.url({ error: 'expected a URL such as http://127.0.0.1:3000' });

export const postgresUrlVar = () =>
  z
    .string({ error: 'expected a postgres:// connection string' })
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection string');

export const logLevelVar = () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** The settings every service has, for a service that owns `schema` and listens on `port`. */
export function baseServiceConfig(schema: string, port: number) {
  const urlVariable = databaseUrlVariable(schema);
  const service = SERVICES.find((s) => s.schema === schema);
  const ownUrlVariable = service ? serviceUrlVariable(service.name) : `${schema.toUpperCase()}_URL`;
  const postgresUrl = postgresUrlVar();
  return z
    .looseObject({
      PORT: portVar(port),
      HOST: z.string().min(1).default('127.0.0.1'),
      LOG_LEVEL: logLevelVar(),
      DATABASE_URL: postgresUrl.optional(),
      DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
      SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
      SERVICE_VERSION: z.string().default('0.1.0'),
      AZORA_NEXUS_URL: urlVar().default('http://127.0.0.1:3000'),
      API_GATEWAY_URL: urlVar().default('http://127.0.0.1:4000'),
      /** The gateway's public keys for user access tokens. */
      AZORA_JWKS_URL: urlVar().optional(),
      HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(DEFAULT_SERVER_LIMITS.headersTimeoutMs),
      HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(DEFAULT_SERVER_LIMITS.requestTimeoutMs),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(DEFAULT_SERVER_LIMITS.keepAliveTimeoutMs),
      MAX_CONNECTIONS_PER_CLIENT: z.coerce.number().int().min(1).default(DEFAULT_SERVER_LIMITS.maxConnectionsPerClient),
      /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
      METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
    })
    .transform((env, ctx) => {
      // The service's own connection string wins; DATABASE_URL is the shared fallback.
      const ownDatabase = env[urlVariable];
      const databaseUrl = typeof ownDatabase === 'string' && ownDatabase !== '' ? ownDatabase : env.DATABASE_URL;
      const checked = postgresUrl.safeParse(databaseUrl);
      if (!checked.success) {
        ctx.addIssue({
          code: 'custom',
          path: [urlVariable],
          message:
            databaseUrl === undefined
              ? `required: set ${urlVariable} (this service's own connection string) or DATABASE_URL`
              : 'expected a postgres:// connection string',
        });
        return z.NEVER;
      }
      // Where peers (Nexus deliveries) reach this service: its own <NAME>_URL when set.
      const own = env[ownUrlVariable];
      return {
        publicUrl: typeof own === 'string' && own !== '' ? own : undefined,
        nexusUrl: env.AZORA_NEXUS_URL,
        gatewayUrl: env.API_GATEWAY_URL,
        jwksUrl: env.AZORA_JWKS_URL ?? `${env.API_GATEWAY_URL.replace(/\/+$/, '')}/.well-known/jwks.json`,
        port: env.PORT,
        host: env.HOST,
        logLevel: env.LOG_LEVEL,
        databaseUrl: checked.data,
        dbPoolMax: env.DB_POOL_MAX,
        shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        version: env.SERVICE_VERSION,
        serverLimits: {
          headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
          requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
          keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
          maxConnectionsPerClient: env.MAX_CONNECTIONS_PER_CLIENT,
        },
        metricsToken: env.METRICS_TOKEN,
      };
    });
}
export type BaseServiceConfig = z.infer<ReturnType<typeof baseServiceConfig>>;

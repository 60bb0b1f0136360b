// The environment of each service process, built from an allow-list: the operating system's and
// Node's own variables, the settings every service shares, and the settings (by its prefixes and
// its .env.example) and secrets of that service alone. Nothing else of the launcher's environment reaches a service: not the superuser
// URL, not another role's password, not another service's key.
import {
  SERVICES,
  databaseUrlVariable,
  serviceUrlVariable,
  type ServiceInfo,
  type ServiceName,
} from '@azora/contracts';
import { baseServiceConfig } from '@azora/service-kit';

type Env = Readonly<Record<string, string | undefined>>;

/** What a process needs from the machine, whoever it is. */
const SYSTEM_NAMES = [
  'PATH',
  'HOME',
  'LANG',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'SYSTEMROOT',
  'NODE_ENV',
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NO_COLOR',
  'FORCE_COLOR',
];
const SYSTEM_PREFIXES = ['LC_'];

/** The settings every service reads (service-kit's base configuration), but DATABASE_URL: under
 * `npm start` that is the superuser's, and each service gets its own role's URL instead. */
const SHARED_NAMES = Object.keys(baseServiceConfig('shared', 0).in.shape).filter((name) => name !== 'DATABASE_URL');

/** OpenTelemetry's exporter settings (OTEL_EXPORTER_OTLP_ENDPOINT, …) reach every service, but
 * for OTEL_SERVICE_NAME: each service names itself, and one name for all ten would merge them. */
function isTracingSetting(name: string): boolean {
  return name.startsWith('OTEL_') && name !== 'OTEL_SERVICE_NAME';
}

/** A service's own settings: its schema's prefix (`MINT_…`) and the names of its providers. */
interface OwnSettings {
  readonly prefixes: readonly string[];
  readonly names?: readonly string[];
}

const OWN_SETTINGS: Record<ServiceName, OwnSettings> = {
  'azora-nexus': { prefixes: ['NEXUS_', 'NATS_'] },
  'azora-education': { prefixes: ['EDUCATION_'] },
  'azora-mint': { prefixes: ['MINT_'] },
  'azora-forge': { prefixes: ['FORGE_'] },
  'ai-family-service': { prefixes: ['AI_', 'OPENAI_'] },
  'azora-pay': { prefixes: ['PAY_', 'STRIPE_'] },
  'notification-service': { prefixes: ['NOTIFICATION_', 'SMTP_', 'MAIL_', 'VAPID_', 'PUSH_'] },
  'analytics-service': { prefixes: ['ANALYTICS_'] },
  'monitoring-service': { prefixes: ['MONITORING_'] },
  'api-gateway': {
    prefixes: ['GATEWAY_', 'ADMIN_', 'AUTH_RATE_LIMIT_', 'PROXY_TIMEOUT_MS', 'BREAKER_'],
    names: ['CORS_ORIGINS', 'ACCESS_TOKEN_TTL_SECONDS', 'REFRESH_TOKEN_TTL_SECONDS', 'SIGNING_KEY_ROTATION_DAYS'],
  },
};

/** Origins of the usual local front-end dev servers, allowed by the gateway when CORS_ORIGINS is unset:
 * Create React App and Next.js (3000), Vite (5173) and its preview (4173), Angular (4200), Vue CLI and
 * webpack-dev-server (8080). */
export const DEV_CORS_ORIGINS: readonly string[] = [3000, 4173, 4200, 5173, 8080].flatMap((port) => [
  `http://localhost:${port}`,
  `http://127.0.0.1:${port}`,
]);

/** The origins the gateway allows under `npm start`: CORS_ORIGINS when set, the dev origins otherwise. */
export function corsOriginsFor(env: Env): { origins: string; fromDefault: boolean } {
  const set = env['CORS_ORIGINS'];
  return set ? { origins: set, fromDefault: false } : { origins: DEV_CORS_ORIGINS.join(','), fromDefault: true };
}

/** What the launcher provisioned for one service. */
export interface ServiceSecrets {
  /** The service's own role's connection string. */
  readonly databaseUrl: string;
  /** Its own private signing key. */
  readonly keyFile: string;
  /** The deployment's public service keys (no secret). */
  readonly jwksFile: string;
  /** The gateway's key-encryption key; given to the gateway only. */
  readonly keyEncryptionKeyFile?: string | undefined;
  /** A directory of its own, writable by it alone, for the files it makes (OWN_FILES). */
  readonly ownDirectory?: string | undefined;
  /** Variables naming those files, e.g. VAPID_KEYS_FILE; a value set by the caller wins. */
  readonly ownFiles?: Readonly<Record<string, string>> | undefined;
}

export interface ServiceEnvOptions {
  readonly info: ServiceInfo;
  /** The launcher's environment, to pick allowed variables from. */
  readonly inherited: Env;
  readonly secrets: ServiceSecrets;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** Where every service listens, as `<NAME>_URL` variables. */
  readonly peers: Readonly<Record<string, string>>;
  /** The variables the service declares it reads (its .env.example). */
  readonly declared?: readonly string[];
}

function isSystemVariable(name: string): boolean {
  return SYSTEM_NAMES.includes(name) || SYSTEM_PREFIXES.some((p) => name.startsWith(p));
}

/** The operating system's and Node's variables of `env`, and nothing of Azora's. */
export function systemVariables(env: Env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && isSystemVariable(entry[0]),
    ),
  );
}

function isAllowed(name: string, own: OwnSettings, declared: readonly string[]): boolean {
  return (
    isSystemVariable(name) ||
    SHARED_NAMES.includes(name) ||
    isTracingSetting(name) ||
    declared.includes(name) ||
    (own.names ?? []).includes(name) ||
    own.prefixes.some((p) => name.startsWith(p))
  );
}

/** Another service's connection string, named with a prefix a service may own (AI_… and AI_FAMILY_…). */
function isOtherDatabaseUrl(name: string, info: ServiceInfo): boolean {
  return SERVICES.some((s) => s.schema !== info.schema && name === databaseUrlVariable(s.schema));
}

/** Never taken from the caller, even where a service declares it: the superuser's URL and the
 * data directory (the road to every role's password) stay with the launcher, which alone decides
 * where a service listens and where peers live, and which keys a service holds (an inline
 * SERVICE_PRIVATE_KEY would win over its own key file, the same key for every service). */
const LAUNCHER_OWNED = [
  'DATABASE_URL',
  'AZORA_DATA_DIR',
  'PORT',
  'HOST',
  'LOG_LEVEL',
  'SERVICE_PRIVATE_KEY',
  'SERVICE_KEY_FILE',
  'SERVICE_JWKS',
  'SERVICE_JWKS_FILE',
  'GATEWAY_KEY_ENCRYPTION_KEY_FILE',
];

function isLauncherOwned(name: string): boolean {
  return LAUNCHER_OWNED.includes(name) || SERVICES.some((s) => name === serviceUrlVariable(s.name));
}

/** The variables of `inherited` that `info`'s process may see. */
export function allowedVariables(
  info: ServiceInfo,
  inherited: Env,
  declared: readonly string[] = [],
): Record<string, string> {
  const own = OWN_SETTINGS[info.name as ServiceName] ?? { prefixes: [] };
  const allowed: Record<string, string> = {};
  for (const [name, value] of Object.entries(inherited)) {
    if (value === undefined || !isAllowed(name, own, declared)) continue;
    if (isOtherDatabaseUrl(name, info) || isLauncherOwned(name)) continue;
    allowed[name] = value;
  }
  return allowed;
}

/** The whole environment of `info`'s process. */
export function serviceEnv(options: ServiceEnvOptions): Record<string, string> {
  const { info, inherited, secrets } = options;
  const gateway = info.name === 'api-gateway';
  return {
    ...allowedVariables(info, inherited, options.declared),
    ...options.peers,
    PORT: String(options.port),
    HOST: options.host,
    LOG_LEVEL: options.logLevel,
    [databaseUrlVariable(info.schema)]: secrets.databaseUrl,
    SERVICE_KEY_FILE: secrets.keyFile,
    SERVICE_JWKS_FILE: secrets.jwksFile,
    ...Object.fromEntries(Object.entries(secrets.ownFiles ?? {}).filter(([name]) => !inherited[name])),
    ...(gateway ? { CORS_ORIGINS: corsOriginsFor(inherited).origins } : {}),
    ...(gateway && secrets.keyEncryptionKeyFile
      ? { GATEWAY_KEY_ENCRYPTION_KEY_FILE: secrets.keyEncryptionKeyFile }
      : {}),
  };
}

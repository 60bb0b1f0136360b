// The gateway's tunable settings and their defaults: token lifetimes, key rotation, rate limits,
// proxy timeouts, the circuit breaker, CORS. config.ts fills them from the environment; tests
// pass the few they change.
export interface RateLimitSettings {
  /** Length of one counting window. */
  windowSeconds: number;
  /** Login and register attempts one client address may make per window. */
  perIp: number;
  /** Failed logins, or registrations, per email address per window. */
  perAccount: number;
  /** Most keys (addresses, accounts) remembered at once: memory stays bounded. */
  maxKeys: number;
}

export interface ProxySettings {
  /** Largest request body passed on to a service. */
  bodyLimitBytes: number;
  /** Longest wait for a service's response headers before a 504. */
  timeoutMs: number;
  /** Per-prefix overrides of timeoutMs, e.g. { ai: 120000 }. */
  timeouts: Record<string, number>;
  /** Consecutive failures (refused, reset, timed out) that open an upstream's circuit. */
  breakerFailureThreshold: number;
  /** How long an open circuit fails fast before one request may try the upstream again. */
  breakerCooldownMs: number;
  /** How long a fetched upstream OpenAPI document is reused. */
  openApiCacheMs: number;
}

export interface GatewaySettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Age at which the signing key is replaced by a new one. */
  signingKeyMaxAgeSeconds: number;
  rateLimit: RateLimitSettings;
  proxy: ProxySettings;
  /** Origins allowed to call the API from a browser; '*' allows any. Empty: none. */
  corsOrigins: string[];
}

export const DEFAULT_SETTINGS: GatewaySettings = {
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlSeconds: 30 * 24 * 3600,
  signingKeyMaxAgeSeconds: 30 * 24 * 3600,
  rateLimit: { windowSeconds: 15 * 60, perIp: 300, perAccount: 10, maxKeys: 50_000 },
  proxy: {
    bodyLimitBytes: 10 * 1024 * 1024,
    timeoutMs: 30_000,
    timeouts: {},
    breakerFailureThreshold: 5,
    breakerCooldownMs: 10_000,
    openApiCacheMs: 60_000,
  },
  corsOrigins: [],
};

export type SettingsOverrides = Partial<Omit<GatewaySettings, 'rateLimit' | 'proxy'>> & {
  rateLimit?: Partial<RateLimitSettings>;
  proxy?: Partial<ProxySettings>;
};

export function gatewaySettings(overrides: SettingsOverrides = {}): GatewaySettings {
  return {
    ...DEFAULT_SETTINGS,
    ...overrides,
    rateLimit: { ...DEFAULT_SETTINGS.rateLimit, ...overrides.rateLimit },
    proxy: { ...DEFAULT_SETTINGS.proxy, ...overrides.proxy },
  };
}

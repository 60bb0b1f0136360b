// The gateway's tunable settings and their defaults: token lifetimes, key rotation, rate limits,
// proxy timeouts, the circuit breaker, CORS. config.ts fills them from the environment; tests
// pass the few they change.
export interface RateLimitSettings {
  /** Length of one counting window of the per-address and per-email limits. */
  windowSeconds: number;
  /** Login and register attempts one client address may make per window. */
  perIp: number;
  /** Consecutive failed logins of an account before delays start; registrations per email per window. */
  perAccount: number;
  /** The first delay, after the perAccount-th consecutive failure; each further failure doubles it. */
  baseDelaySeconds: number;
  /** The longest delay: how long the owner of an attacked account waits at most. */
  maxDelaySeconds: number;
  /** How long an account's failures count, from the first of them (a successful login clears them). */
  failureMemorySeconds: number;
}

export interface ProxySettings {
  /** Largest request body passed on to a service. */
  bodyLimitBytes: number;
  /** Longest wait for a service's response headers before a 504. */
  timeoutMs: number;
  /** Per-prefix overrides of timeoutMs, e.g. { ai: 120000 }. */
  timeouts: Record<string, number>;
  /** Longest a client may take to send a proxied request's body, from its headers: then 408. */
  bodyTimeoutMs: number;
  /** Consecutive failures of a service (refused, reset, timed out) that open its circuit. */
  breakerFailureThreshold: number;
  /** How often the gateway asks the /ready of a service whose circuit is open. */
  breakerProbeIntervalMs: number;
  /** Proxied writes (POST, PUT, PATCH, DELETE) one user, or one anonymous address, may send per window. */
  writeRateLimit: { points: number; windowSeconds: number };
  /** How long an answer of GET /api/health is reused. */
  healthCacheMs: number;
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
  /** Proxies whose X-Forwarded-For is believed (addresses, CIDRs, or loopback, linklocal,
   * uniquelocal), so req.ip is the client's address. Empty: none. */
  trustProxy: string[];
}

export const DEFAULT_SETTINGS: GatewaySettings = {
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlSeconds: 30 * 24 * 3600,
  signingKeyMaxAgeSeconds: 30 * 24 * 3600,
  rateLimit: {
    windowSeconds: 15 * 60,
    perIp: 300,
    perAccount: 5,
    baseDelaySeconds: 1,
    maxDelaySeconds: 15 * 60,
    failureMemorySeconds: 24 * 3600,
  },
  proxy: {
    bodyLimitBytes: 10 * 1024 * 1024,
    timeoutMs: 30_000,
    timeouts: {},
    bodyTimeoutMs: 20_000,
    breakerFailureThreshold: 5,
    breakerProbeIntervalMs: 500,
    writeRateLimit: { points: 600, windowSeconds: 60 },
    healthCacheMs: 2_000,
    openApiCacheMs: 60_000,
  },
  corsOrigins: [],
  trustProxy: ['loopback'],
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

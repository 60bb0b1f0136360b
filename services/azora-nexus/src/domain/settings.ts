// The knobs of delivery and streaming, with the defaults a deployment gets when it sets nothing.
export interface DeliverySettings {
  /** Failed attempts on one head event before it is dead-lettered and skipped. */
  readonly maxAttempts: number;
  /** Most events in one delivery POST. */
  readonly batchSize: number;
  /** How long an endpoint has to answer one delivery. */
  readonly timeoutMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** Subscriptions delivered at the same time by one Nexus instance (each holds a connection). */
  readonly concurrency: number;
  /** The safety net beside LISTEN/NOTIFY: how often the dispatcher looks without being woken. */
  readonly pollIntervalMs: number;
  /** After the database failed a query or dropped the LISTEN connection, the first retry comes
   * after about recoveryBaseMs and later ones back off up to recoveryMaxMs: a blip costs tens of
   * milliseconds, a long outage at most recoveryMaxMs once the database answers again. */
  readonly recoveryBaseMs: number;
  readonly recoveryMaxMs: number;
  /** How long stop() waits for in-flight deliveries before aborting them. */
  readonly stopTimeoutMs: number;
  /** Comment lines that keep an idle /stream connection open through proxies. */
  readonly heartbeatMs: number;
}

export const DEFAULT_SETTINGS: DeliverySettings = {
  maxAttempts: 8,
  batchSize: 200,
  timeoutMs: 10_000,
  backoffBaseMs: 500,
  backoffMaxMs: 60_000,
  concurrency: 4,
  pollIntervalMs: 1_000,
  recoveryBaseMs: 50,
  recoveryMaxMs: 1_000,
  stopTimeoutMs: 5_000,
  heartbeatMs: 15_000,
};

export function deliverySettings(overrides: Partial<DeliverySettings> = {}): DeliverySettings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

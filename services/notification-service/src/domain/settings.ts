// How deliveries are retried and how the stream follows the inbox; configuration, with defaults.

export interface DeliverySettings {
  /** Attempts before a delivery is given up (the first one included). */
  readonly maxAttempts: number;
  /** The retry after the first failure waits up to this long; each further one twice as long. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Deliveries sent at once by one process. */
  readonly concurrency: number;
  /** How often the worker looks for due deliveries when nothing woke it. */
  readonly pollMs: number;
  /** How long a claimed delivery is a worker's own; past it another worker may claim it again. */
  readonly leaseMs: number;
}

export interface StreamSettings {
  /** How often open streams look for notifications stored by other instances. */
  readonly pollMs: number;
  readonly heartbeatMs: number;
}

export interface NotificationSettings {
  readonly delivery: DeliverySettings;
  readonly stream: StreamSettings;
  /** Push services a subscription may name (`host` or `*.domain`). */
  readonly pushAllowedHosts: readonly string[];
}

/** The push services of the major browsers: Chrome and Edge (FCM), Firefox, Safari, Windows. */
export const DEFAULT_PUSH_HOSTS: readonly string[] = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  'updates.push.services.mozilla.com',
  '*.push.services.mozilla.com',
  'web.push.apple.com',
  '*.push.apple.com',
  '*.notify.windows.com',
];

export const DEFAULT_SETTINGS: NotificationSettings = {
  delivery: {
    maxAttempts: 6,
    retryBaseMs: 30_000,
    retryMaxMs: 3_600_000,
    concurrency: 8,
    pollMs: 1_000,
    leaseMs: 120_000,
  },
  stream: { pollMs: 1_000, heartbeatMs: 15_000 },
  pushAllowedHosts: DEFAULT_PUSH_HOSTS,
};

export interface SettingsOverrides {
  delivery?: Partial<DeliverySettings> | undefined;
  stream?: Partial<StreamSettings> | undefined;
  pushAllowedHosts?: readonly string[] | undefined;
}

export function notificationSettings(overrides: SettingsOverrides = {}): NotificationSettings {
  return {
    delivery: { ...DEFAULT_SETTINGS.delivery, ...overrides.delivery },
    stream: { ...DEFAULT_SETTINGS.stream, ...overrides.stream },
    pushAllowedHosts: overrides.pushAllowedHosts ?? DEFAULT_SETTINGS.pushAllowedHosts,
  };
}

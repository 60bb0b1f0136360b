// Which signing key signs now, which public keys are published, and when to rotate. A new key
// is published at once but signs only after ACTIVATION_DELAY, so services that cached the key
// set a moment earlier see the new key id before any token carries it; a retired key stays
// published until every token it signed has expired.
export interface KeyTimes {
  kid: string;
  createdAt: Date;
  /** When a newer key took over signing; null for the newest key. */
  retiredAt: Date | null;
}

export const ACTIVATION_DELAY_MS = 60_000;
/** Leeway for clocks that disagree a little (verifiers allow 5 s). */
const SKEW_MS = 60_000;

export interface RotationPolicy {
  maxAgeMs: number;
  accessTokenTtlMs: number;
}

export interface KeyRingView<K extends KeyTimes> {
  /** The key that signs now; null when there is no key yet. */
  signing: K | null;
  /** Every key a token still in circulation may carry, the signing key included. */
  published: K[];
  /** A new key is due: none exists, or the newest has reached its maximum age. */
  rotationDue: boolean;
}

export function viewKeyRing<K extends KeyTimes>(keys: readonly K[], now: Date, policy: RotationPolicy): KeyRingView<K> {
  const t = now.getTime();
  const byAge = [...keys].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const live = byAge.filter((k) => k.retiredAt === null || k.retiredAt.getTime() > t);
  const published = byAge.filter(
    (k) => k.retiredAt === null || k.retiredAt.getTime() + policy.accessTokenTtlMs + SKEW_MS > t,
  );
  const newest = byAge[byAge.length - 1];
  return {
    signing: live[0] ?? null,
    published,
    rotationDue: !newest || t - newest.createdAt.getTime() >= policy.maxAgeMs,
  };
}

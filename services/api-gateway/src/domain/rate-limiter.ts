// Fixed-window rate limiting in this process's memory: a count per key (a client address, an
// account) per window. Memory stays bounded: expired windows are swept when the table is full,
// and when every window is still live the oldest is forgotten first.
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until the key's window ends (at least 1 when refused). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Would one more attempt for `key` be allowed? Counts nothing. */
  check(key: string, nowMs: number): RateDecision;
  /** Counts one attempt for `key`. */
  hit(key: string, nowMs: number): void;
  /** check, and count the attempt when it is allowed. */
  take(key: string, nowMs: number): RateDecision;
  readonly size: number;
}

export function createRateLimiter({
  limit,
  windowMs,
  maxKeys,
}: {
  limit: number;
  windowMs: number;
  maxKeys: number;
}): RateLimiter {
  const windows = new Map<string, { startedAt: number; count: number }>();

  function live(key: string, nowMs: number) {
    const window = windows.get(key);
    if (window && nowMs - window.startedAt < windowMs) return window;
    if (window) windows.delete(key);
    return undefined;
  }

  function makeRoom(nowMs: number): void {
    if (windows.size < maxKeys) return;
    for (const [key, window] of windows) {
      if (nowMs - window.startedAt >= windowMs) windows.delete(key);
    }
    // Insertion order is start order: the first key is the oldest window.
    while (windows.size >= maxKeys) {
      const oldest = windows.keys().next();
      if (oldest.done) break;
      windows.delete(oldest.value);
    }
  }

  function check(key: string, nowMs: number): RateDecision {
    const window = live(key, nowMs);
    if (!window || window.count < limit) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + windowMs - nowMs) / 1000)) };
  }

  function hit(key: string, nowMs: number): void {
    const window = live(key, nowMs);
    if (window) {
      window.count += 1;
      return;
    }
    makeRoom(nowMs);
    windows.set(key, { startedAt: nowMs, count: 1 });
  }

  return {
    check,
    hit,
    take(key, nowMs) {
      const decision = check(key, nowMs);
      if (decision.allowed) hit(key, nowMs);
      return decision;
    },
    get size() {
      return windows.size;
    },
  };
}

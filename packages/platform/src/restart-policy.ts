// When a supervised process that exited on its own is started again: exponential back-off that
// starts over once a run lasted, and a crash loop given up on. Pure: the caller passes the time.

export interface RestartPolicy {
  /** Wait before the first restart; each restart in a row doubles it. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long was a good one: the next restart waits `initialDelayMs` again. */
  stableAfterMs: number;
  /** This many exits within `windowMs` is a crash loop: no more restarts. */
  maxExits: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxExits: 5,
  windowMs: 60_000,
};

export type RestartDecision =
  { action: 'restart'; delayMs: number } | { action: 'give-up'; exits: number; windowMs: number };

export interface RestartTracker {
  /** Called when the process exited at `now` after running for `ranMs`. */
  onExit(now: number, ranMs: number): RestartDecision;
}

export function createRestartTracker(policy: RestartPolicy): RestartTracker {
  let inARow = 0;
  let exits: number[] = [];
  return {
    onExit(now, ranMs) {
      exits = [...exits.filter((at) => now - at < policy.windowMs), now];
      if (exits.length >= policy.maxExits) return { action: 'give-up', exits: exits.length, windowMs: policy.windowMs };
      inARow = ranMs >= policy.stableAfterMs ? 1 : inARow + 1;
      const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (inARow - 1));
      return { action: 'restart', delayMs };
    },
  };
}

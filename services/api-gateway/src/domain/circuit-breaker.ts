// A circuit breaker per upstream: after `failureThreshold` consecutive failures (refused,
// reset, timed out) the circuit opens and requests fail at once for `cooldownMs`; then one
// request may try (half-open): its success closes the circuit, its failure opens it again.
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface Attempt {
  /** Reports the attempt's outcome; later calls are ignored. Unsettled attempts are `abandon`ed. */
  succeeded(): void;
  failed(): void;
  /** Neither success nor failure (the client went away first): frees the half-open slot. */
  abandon(): void;
}

export type Admission = { admitted: true; attempt: Attempt } | { admitted: false; retryAfterMs: number };

export interface CircuitBreaker {
  admit(): Admission;
  state(): BreakerState;
}

export function createCircuitBreaker({
  failureThreshold,
  cooldownMs,
  now = Date.now,
  onChange,
}: {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
  onChange?: (state: BreakerState) => void;
}): CircuitBreaker {
  let current: BreakerState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;

  function become(next: BreakerState): void {
    if (next === current) return;
    current = next;
    onChange?.(next);
  }

  function attempt(isProbe: boolean): Attempt {
    let settled = false;
    const settle = (outcome: 'success' | 'failure' | 'abandoned') => {
      if (settled) return;
      settled = true;
      if (isProbe) probing = false;
      if (outcome === 'success') {
        failures = 0;
        become('closed');
      } else if (outcome === 'failure') {
        failures += 1;
        if (isProbe || failures >= failureThreshold) {
          openedAt = now();
          become('open');
        }
      }
    };
    return { succeeded: () => settle('success'), failed: () => settle('failure'), abandon: () => settle('abandoned') };
  }

  return {
    admit() {
      if (current === 'closed') return { admitted: true, attempt: attempt(false) };
      const waited = now() - openedAt;
      if (current === 'open' && waited < cooldownMs) return { admitted: false, retryAfterMs: cooldownMs - waited };
      if (probing) return { admitted: false, retryAfterMs: Math.max(1, cooldownMs - waited) };
      probing = true;
      become('half_open');
      return { admitted: true, attempt: attempt(true) };
    },
    state: () => current,
  };
}

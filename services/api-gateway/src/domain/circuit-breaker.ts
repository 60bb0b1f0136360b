// A circuit breaker per upstream. Only failures of the service itself count (refused, reset,
// no answer in time once the request had fully arrived): `failureThreshold` of them in a row
// open the circuit, and requests then fail at once. No client request is let through to test an
// open circuit: the gateway asks the service's readiness instead, and `ready()` half-opens the
// circuit, so requests flow again; the first success closes it, the first failure opens it again.
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface Attempt {
  /** Reports the attempt's outcome; later calls are ignored. */
  succeeded(): void;
  failed(): void;
  /** Neither success nor failure: the client went away, stalled, or sent too much. */
  abandon(): void;
}

export type Admission = { admitted: true; attempt: Attempt } | { admitted: false; retryAfterMs: number };

export interface CircuitBreaker {
  admit(): Admission;
  state(): BreakerState;
  /** The service says it is ready again: an open circuit half-opens. */
  ready(): void;
}

export function createCircuitBreaker({
  failureThreshold,
  retryAfterMs,
  onChange,
}: {
  failureThreshold: number;
  /** What an open circuit tells callers to wait: about when the next readiness check is due. */
  retryAfterMs: number;
  onChange?: (state: BreakerState) => void;
}): CircuitBreaker {
  let current: BreakerState = 'closed';
  let failures = 0;

  function become(next: BreakerState): void {
    if (next === current) return;
    current = next;
    onChange?.(next);
  }

  function settle(outcome: 'success' | 'failure'): void {
    if (outcome === 'success') {
      failures = 0;
      become('closed');
      return;
    }
    failures += 1;
    if (current === 'half_open' || failures >= failureThreshold) become('open');
  }

  function attempt(): Attempt {
    let settled = false;
    const once = (outcome: 'success' | 'failure' | 'abandoned') => {
      if (settled) return;
      settled = true;
      if (outcome !== 'abandoned') settle(outcome);
    };
    return { succeeded: () => once('success'), failed: () => once('failure'), abandon: () => once('abandoned') };
  }

  return {
    admit: () => (current === 'open' ? { admitted: false, retryAfterMs } : { admitted: true, attempt: attempt() }),
    state: () => current,
    ready() {
      if (current !== 'open') return;
      failures = 0;
      become('half_open');
    },
  };
}

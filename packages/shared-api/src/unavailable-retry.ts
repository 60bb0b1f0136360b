// The one retry of a request answered 503 with Retry-After (a dependency down, a circuit open):
// only for requests that may safely run twice, and only when the wait is short enough for a
// user to sit through.
import { IDEMPOTENCY_KEY_HEADER } from './contract-constants';

export interface UnavailableRetryPolicy {
  /** The longest Retry-After, in milliseconds, that is waited out before the one retry. */
  maxDelayMs: number;
}

export const DEFAULT_UNAVAILABLE_RETRY: UnavailableRetryPolicy = { maxDelayMs: 5_000 };

/** The policy of the client option: `false` turns retrying off, `true` or nothing is the default. */
export function unavailableRetryPolicy(
  option: boolean | Partial<UnavailableRetryPolicy> | undefined,
): UnavailableRetryPolicy | null {
  if (option === false) return null;
  if (option === true || option === undefined) return DEFAULT_UNAVAILABLE_RETRY;
  return { maxDelayMs: option.maxDelayMs ?? DEFAULT_UNAVAILABLE_RETRY.maxDelayMs };
}

/**
 * GET and HEAD read only; a write sent with an Idempotency-Key is done once however often it
 * arrives. Any other write might be done twice, so it is never retried.
 */
export function mayRepeat(method: string | undefined, hasHeader: (name: string) => boolean): boolean {
  const verb = (method ?? 'get').toUpperCase();
  return verb === 'GET' || verb === 'HEAD' || hasHeader(IDEMPOTENCY_KEY_HEADER);
}

const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Milliseconds a Retry-After value asks to wait (seconds, or an HTTP date), or undefined when it is neither. */
export function retryAfterMs(value: unknown, nowMs: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!IMF_FIXDATE.test(text)) return undefined;
  return Math.max(0, Date.parse(text) - nowMs);
}

/** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// What the reconnecting streams (AI replies, the notification inbox) share: which failures are
// worth another connection, and the wait before it, cut short when the caller aborts.
import { CLIENT_ERROR_CODES } from './error-codes';
import { isAzoraApiError } from './errors';

/** The wait before reconnecting until the server sends its own `retry`. */
export const DEFAULT_RETRY_MS = 2_000;

/** A dropped connection or a gateway/service restarting: worth reconnecting. A problem answer is not. */
export function isTransient(error: unknown): boolean {
  if (!isAzoraApiError(error)) return false;
  return error.code === CLIENT_ERROR_CODES.network || error.status === 502 || error.status === 503;
}

/** Resolves after `ms`, or as soon as `signal` aborts (the caller checks it afterwards). */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

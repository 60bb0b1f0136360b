// Waiting for a value to appear: waitFor (which retries until its check stops throwing) for
// probes that answer "not yet" with a falsy value, such as a count reaching a number or a
// stream's first message.
import { waitFor } from '@azora/test-database';

/** Polls `probe` until it returns a truthy value and resolves with it; fails naming `what` at the bound. */
export function waitUntil<T>(
  probe: () => T | Promise<T>,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<NonNullable<T>> {
  return waitFor(
    async () => {
      const value = await probe();
      if (!value) throw new Error(`not yet (${String(value)})`);
      return value as NonNullable<T>;
    },
    { ...options, what },
  );
}

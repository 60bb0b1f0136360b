// Retry scheduling: exponential back-off with full jitter, so subscribers that failed together
// (an endpoint restarting) do not all come back at the same instant.

/** A delay in [0, min(max, base * 2^failuresBefore)) milliseconds. */
export function backoffDelay(
  { failuresBefore, baseMs, maxMs }: { failuresBefore: number; baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failuresBefore, 30));
  return Math.floor(random() * ceiling);
}

// How long an account under attack makes the next sign-in wait. The first failures are free (a
// typo costs nothing); from the `freeFailures`-th consecutive failure on, the next attempt waits
// `baseDelaySeconds`, doubling with each further failure up to `maxDelaySeconds`. The delay
// slows guessing without locking anyone out: once it has passed, the right password signs in.
export interface LoginDelayPolicy {
  /** Consecutive failed logins of one account before any delay. */
  freeFailures: number;
  /** The wait after the freeFailures-th failure. */
  baseDelaySeconds: number;
  /** No wait is longer than this: the owner's bound. */
  maxDelaySeconds: number;
}

/** Seconds the next attempt must wait after `failures` consecutive failures (0: none). */
export function loginDelaySeconds(failures: number, policy: LoginDelayPolicy): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 52);
  return Math.min(policy.baseDelaySeconds * 2 ** doublings, policy.maxDelaySeconds);
}

/** Whether an attempt that is the `nth` one counted (failures so far + attempts in flight + 1)
 * must pass the account's gate: one attempt at a time once the free failures are used up. */
export function needsGate(nth: number, policy: LoginDelayPolicy): boolean {
  return nth >= policy.freeFailures;
}

/** Whole seconds a client is told to wait (Retry-After), never 0. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

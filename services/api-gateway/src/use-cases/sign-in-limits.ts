// The limits on signing in and registering. Every attempt is counted before any password is
// checked, in counters every gateway instance shares, so guesses sent in parallel or spread over
// instances are counted like guesses sent one by one:
// - per client address: login and registration attempts per window (a script on one address);
// - per email, registrations per window;
// - per account, consecutive failed logins: the first ones are free, then one attempt at a time
//   passes the account's gate, and each failure closes the gate for a growing delay (see
//   domain/login-delays.ts). Success clears the account's count.
import { DomainError, type Pool } from '@azora/service-kit';
import { createAttemptCounter } from '../db/attempt-counters';
import { loginDelayed, rateLimited } from '../domain/errors';
import { loginDelaySeconds, needsGate, retryAfterSeconds, type LoginDelayPolicy } from '../domain/login-delays';
import type { RateLimitSettings } from '../domain/settings';

/** Longest an attempt may hold an account's gate (its password check normally takes < 1 s);
 * the gate reopens by itself after this if a gateway dies mid-attempt. */
const GATE_HOLD_SECONDS = 30;

export interface SignInLimits {
  /** Counts an attempt from a client address; throws auth.rate_limited over the limit. */
  fromAddress(route: 'login' | 'register', address: string): Promise<void>;
  /** Counts a registration for `email`; throws auth.rate_limited over the limit. */
  registration(email: string): Promise<void>;
  /** Runs `checkPassword` for `email` when the account's delays allow, counted before it runs. */
  login<T>(email: string, checkPassword: () => Promise<T>): Promise<T>;
}

export function createSignInLimits(pool: Pool, settings: RateLimitSettings): SignInLimits {
  const window = { windowSeconds: settings.windowSeconds };
  const perAddress = {
    login: createAttemptCounter(pool, { name: 'login_ip', limit: settings.perIp, ...window }),
    register: createAttemptCounter(pool, { name: 'register_ip', limit: settings.perIp, ...window }),
  };
  const registrations = createAttemptCounter(pool, { name: 'register_email', limit: settings.perAccount, ...window });
  // Counts every attempt (failed, or still being checked); never refuses by itself.
  const failures = createAttemptCounter(pool, {
    name: 'login_failures',
    limit: 2 ** 31 - 1,
    windowSeconds: settings.failureMemorySeconds,
  });
  // One attempt at a time, and none while a delay runs.
  const gate = createAttemptCounter(pool, { name: 'login_delay', limit: 1, windowSeconds: GATE_HOLD_SECONDS });
  const policy: LoginDelayPolicy = {
    freeFailures: settings.perAccount,
    baseDelaySeconds: settings.baseDelaySeconds,
    maxDelaySeconds: settings.maxDelaySeconds,
  };

  async function enterGate(account: string): Promise<void> {
    const entry = await gate.take(account);
    if (entry.allowed) return;
    await failures.giveBack(account);
    // Refused because another attempt is being checked (count 2: it and us) rather than because
    // a delay runs: that attempt decides the delay within a second.
    throw loginDelayed(entry.count === 2 ? 1 : retryAfterSeconds(entry.msBeforeNext));
  }

  /** Closes the gate for the delay the failures now call for (a free failure leaves it alone:
   * a concurrent attempt may be holding it). */
  async function afterFailure(account: string, gated: boolean): Promise<void> {
    const delay = loginDelaySeconds(await failures.count(account), policy);
    if (delay > 0) await gate.block(account, delay);
    else if (gated) await gate.forget(account);
  }

  return {
    async fromAddress(route, address) {
      const taken = await perAddress[route].take(address);
      if (!taken.allowed)
        throw rateLimited(route === 'login' ? 'login' : 'registration', retryAfterSeconds(taken.msBeforeNext));
    },

    async registration(email) {
      const taken = await registrations.take(email);
      if (!taken.allowed) throw rateLimited('registration', retryAfterSeconds(taken.msBeforeNext));
    },

    async login(email, checkPassword) {
      const account = email.toLowerCase();
      const counted = await failures.take(account);
      const gated = needsGate(counted.count, policy);
      if (gated) await enterGate(account);
      try {
        const result = await checkPassword();
        await Promise.all([failures.forget(account), gate.forget(account)]);
        return result;
      } catch (error) {
        if (error instanceof DomainError && error.code === 'auth.invalid_credentials')
          await afterFailure(account, gated);
        else {
          // Not a verdict on the password (the database failed, say): it does not count.
          await failures.giveBack(account);
          if (gated) await gate.forget(account);
        }
        throw error;
      }
    },
  };
}

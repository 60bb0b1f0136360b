// Counters of sign-in attempts, kept in the gateway's schema (table auth_attempts, made by
// migration 002) with rate-limiter-flexible's PostgreSQL store, so every gateway instance sees
// the same counts. Each counter is one atomic upsert per attempt: concurrent attempts each get
// their own count. Keys are stored as SHA-256, never as the email or address they stand for.
import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool } from '@azora/service-kit';

export const ATTEMPTS_TABLE = 'auth_attempts';

export interface Take {
  allowed: boolean;
  /** Attempts counted in the current window, this one included. */
  count: number;
  /** Milliseconds until the window (or a block) ends. */
  msBeforeNext: number;
}

export interface AttemptCounter {
  /** Counts one attempt; not allowed once the count is over the limit. */
  take(key: string): Promise<Take>;
  /** Takes back one counted attempt (it turned out not to count). */
  giveBack(key: string): Promise<void>;
  /** Attempts counted in the current window. */
  count(key: string): Promise<number>;
  /** Refuses every attempt for `seconds`. */
  block(key: string, seconds: number): Promise<void>;
  forget(key: string): Promise<void>;
}

export interface CounterOptions {
  /** Part of every stored key: counters share the table. */
  name: string;
  /** Attempts allowed per window. */
  limit: number;
  windowSeconds: number;
}

/** The stored form of a key: what it counts stays unreadable in the table. */
export function attemptKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('base64url');
}

export function createAttemptCounter(pool: Pool, { name, limit, windowSeconds }: CounterOptions): AttemptCounter {
  const limiter = new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    // The table comes from the migration (the pool's search_path is the gateway's schema), so
    // the library never issues DDL at run time.
    tableName: ATTEMPTS_TABLE,
    tableCreated: true,
    keyPrefix: name,
    points: limit,
    duration: windowSeconds,
  });
  return {
    async take(key) {
      try {
        const res = await limiter.consume(attemptKey(key));
        return { allowed: true, count: res.consumedPoints, msBeforeNext: res.msBeforeNext };
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        return { allowed: false, count: refusal.consumedPoints, msBeforeNext: refusal.msBeforeNext };
      }
    },
    async giveBack(key) {
      await limiter.reward(attemptKey(key), 1);
    },
    async count(key) {
      return (await limiter.get(attemptKey(key)))?.consumedPoints ?? 0;
    },
    async block(key, seconds) {
      await limiter.block(attemptKey(key), seconds);
    },
    async forget(key) {
      await limiter.delete(attemptKey(key));
    },
  };
}

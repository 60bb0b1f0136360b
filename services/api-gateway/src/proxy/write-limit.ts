// A limit on proxied writes (POST, PUT, PATCH, DELETE) per caller: the verified user, or the
// client address when the request carries no token. Reads are not counted. The counters live in
// this process's memory (rate-limiter-flexible's memory store), so each gateway instance counts
// on its own: the limit is a guard against one client flooding the services, not a quota.
import type { Request } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const isWrite = (method: string) => WRITES.has(method);

export interface WriteLimit {
  /** Counts a write (see isWrite); resolves to the milliseconds to wait when the caller is over the limit. */
  overLimit(req: Request): Promise<number | undefined>;
}

export function createWriteLimit({ points, windowSeconds }: { points: number; windowSeconds: number }): WriteLimit {
  const limiter = new RateLimiterMemory({ points, duration: windowSeconds, keyPrefix: 'gateway-writes' });
  return {
    async overLimit(req) {
      const key = req.user ? `user:${req.user.id}` : `address:${req.ip ?? req.socket.remoteAddress ?? ''}`;
      try {
        await limiter.consume(key);
        return undefined;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return Math.max(1, refusal.msBeforeNext);
        throw refusal;
      }
    },
  };
}

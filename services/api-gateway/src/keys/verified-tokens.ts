// A bounded memo of access tokens already verified, so the gateway checks each token's
// signature once rather than on every proxied request. An entry lives no longer than its
// token; the oldest entries make room when the memo is full.
import type { AuthenticatedUser } from '@azora/service-kit';

export interface VerifiedTokens {
  get(token: string, nowMs: number): AuthenticatedUser | undefined;
  set(token: string, user: AuthenticatedUser, expiresAtMs: number): void;
  clear(): void;
}

export function createVerifiedTokens(maxEntries = 10_000): VerifiedTokens {
  const entries = new Map<string, { user: AuthenticatedUser; expiresAtMs: number }>();
  return {
    get(token, nowMs) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (entry.expiresAtMs <= nowMs) {
        entries.delete(token);
        return undefined;
      }
      return entry.user;
    },
    set(token, user, expiresAtMs) {
      if (entries.size >= maxEntries) {
        // Map iteration is insertion order: the first key is the oldest entry.
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(token, { user, expiresAtMs });
    },
    clear: () => entries.clear(),
  };
}

/** When a token whose signature has already been checked expires (ms since the epoch). */
export function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The protected header of a JWT, unverified: to route it, never to trust it. */
export function headerOf(token: string): { kid?: string; typ?: string } {
  try {
    return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      kid?: string;
      typ?: string;
    };
  } catch {
    return {};
  }
}

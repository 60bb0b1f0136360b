// Refresh tokens: opaque random strings, stored only as their SHA-256. Each is good for one
// refresh; a used token presented again means it was copied, so its whole family (every token
// descended from the same login) is revoked.
import { createHash, randomBytes } from 'node:crypto';

export interface NewRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  tokenHash: Buffer;
  createdAt: Date;
  expiresAt: Date;
}

export interface StoredRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** 256 random bits, base64url: 43 characters. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export type RefreshVerdict = 'rotate' | 'reused' | 'revoked' | 'expired';

/** What presenting `stored` at `now` means: rotate it, or refuse it (and why). */
export function judgeRefresh(stored: StoredRefreshToken, now: Date): RefreshVerdict {
  if (stored.revokedAt) return 'revoked';
  if (stored.usedAt) return 'reused';
  if (stored.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'rotate';
}

// Sessions: a sign-in is a family of refresh tokens. Starting one issues the first token and an
// access token; refreshing rotates the token (a reused one revokes its family); logging out
// revokes a family, or every family of a user.
import { randomUUID } from 'node:crypto';
import { withTransaction, type Clock, type Pool, type Queryable } from '@azora/service-kit';
import {
  insertRefreshToken,
  lockRefreshToken,
  markRefreshTokenUsed,
  revokeFamily,
  revokeUserTokens,
} from '../db/refresh-tokens';
import { findUserById } from '../db/users';
import {
  invalidRefreshToken,
  logoutNeedsToken,
  refreshTokenExpired,
  refreshTokenReused,
  userNotFound,
} from '../domain/errors';
import { hashRefreshToken, judgeRefresh, newRefreshToken } from '../domain/refresh-tokens';
import type { UserRecord } from '../domain/users';
import type { AccessTokens } from '../keys/key-ring';

export interface AuthResult {
  user: UserRecord;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface SessionDeps {
  pool: Pool;
  clock: Clock;
  tokens: AccessTokens;
  refreshTokenTtlSeconds: number;
}

export function createSessions({ pool, clock, tokens, refreshTokenTtlSeconds }: SessionDeps) {
  /** Stores a new refresh token in `familyId` (a new family for a new sign-in). */
  async function issueRefreshToken(tx: Queryable, userId: string, familyId: string): Promise<string> {
    const token = newRefreshToken();
    const now = clock.now();
    await insertRefreshToken(tx, {
      id: randomUUID(),
      familyId,
      userId,
      tokenHash: hashRefreshToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + refreshTokenTtlSeconds * 1000),
    });
    return token;
  }

  async function withAccessToken(user: UserRecord, refreshToken: string): Promise<AuthResult> {
    // Role and grants as stored now: a change reaches the user's tokens at their next refresh.
    const access = await tokens.issue({ id: user.id, role: user.role, grants: user.grants });
    return {
      user,
      accessToken: access.token,
      refreshToken,
      expiresIn: Math.max(1, Math.round((access.expiresAt.getTime() - Date.now()) / 1000)),
    };
  }

  return {
    issueRefreshToken,
    withAccessToken,

    /** A new sign-in of `user`: a new family. */
    async start(user: UserRecord): Promise<AuthResult> {
      const refreshToken = await withTransaction(pool, (tx) => issueRefreshToken(tx, user.id, randomUUID()));
      return withAccessToken(user, refreshToken);
    },

    async refresh(presented: string): Promise<AuthResult> {
      // The verdict is decided and acted on inside the transaction (the row is locked, so two
      // concurrent refreshes with one token cannot both rotate), and thrown only after COMMIT
      // so that a reuse revocation is kept.
      const outcome = await withTransaction(pool, async (tx) => {
        const stored = await lockRefreshToken(tx, hashRefreshToken(presented));
        if (!stored) return { refused: invalidRefreshToken() };
        const now = clock.now();
        const verdict = judgeRefresh(stored, now);
        if (verdict === 'reused') {
          await revokeFamily(tx, stored.familyId, now);
          return { refused: refreshTokenReused() };
        }
        if (verdict === 'revoked') return { refused: invalidRefreshToken() };
        if (verdict === 'expired') return { refused: refreshTokenExpired() };
        const user = await findUserById(tx, stored.userId);
        if (!user) return { refused: userNotFound() };
        await markRefreshTokenUsed(tx, stored.id, now);
        return { user, refreshToken: await issueRefreshToken(tx, user.id, stored.familyId) };
      });
      if ('refused' in outcome) throw outcome.refused;
      return withAccessToken(outcome.user, outcome.refreshToken);
    },

    /**
     * With a refresh token: ends that sign-in (its family), whoever sends it. Without one, a
     * signed-in user's every sign-in ends. Access tokens already issued run out on their own.
     */
    async logout({ refreshToken, userId }: { refreshToken?: string | undefined; userId?: string | undefined }) {
      if (!refreshToken && !userId) throw logoutNeedsToken();
      await withTransaction(pool, async (tx) => {
        const now = clock.now();
        if (refreshToken) {
          const stored = await lockRefreshToken(tx, hashRefreshToken(refreshToken));
          if (stored && (!userId || stored.userId === userId)) await revokeFamily(tx, stored.familyId, now);
        } else if (userId) {
          await revokeUserTokens(tx, userId, now);
        }
      });
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;

// Identity use cases: register, log in, refresh (rotation with reuse detection), log out, the
// signed-in user, and the administrator from the configuration. Storage and token signing come
// in as ports, so the rules read top to bottom without SQL or HTTP.
import { randomUUID } from 'node:crypto';
import type { UserRole } from '@azora/contracts';
import type { Clock } from '@azora/service-kit';
import { hashPassword, verifyPassword } from './passwords';
import {
  emailTaken,
  invalidCredentials,
  invalidRefreshToken,
  logoutNeedsToken,
  refreshTokenExpired,
  refreshTokenReused,
  userNotFound,
} from './problems';
import { hashRefreshToken, judgeRefresh, newRefreshToken } from './refresh-tokens';
import type { AccessTokens, IdentityStore, IdentityTx, UserRecord } from './ports';

export interface AuthResult {
  user: UserRecord;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface IdentityDeps {
  store: IdentityStore;
  tokens: AccessTokens;
  clock: Clock;
  refreshTokenTtlSeconds: number;
  /** The hash an unknown email is checked against (see createDecoyHash). */
  decoyHash: () => Promise<string>;
}

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  role: UserRole;
}

export function createIdentity({ store, tokens, clock, refreshTokenTtlSeconds, decoyHash }: IdentityDeps) {
  /** Stores a new refresh token in `familyId` (a new family for a new sign-in). */
  async function issueRefreshToken(tx: IdentityTx, userId: string, familyId: string): Promise<string> {
    const token = newRefreshToken();
    const now = clock.now();
    await tx.insertRefreshToken({
      id: randomUUID(),
      familyId,
      userId,
      tokenHash: hashRefreshToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + refreshTokenTtlSeconds * 1000),
    });
    return token;
  }

  async function session(user: UserRecord, refreshToken: string): Promise<AuthResult> {
    const access = await tokens.issue({ id: user.id, role: user.role });
    return {
      user,
      accessToken: access.token,
      refreshToken,
      expiresIn: Math.max(1, Math.round((access.expiresAt.getTime() - Date.now()) / 1000)),
    };
  }

  return {
    async register(input: RegisterInput, meta: { requestId?: string } = {}): Promise<AuthResult> {
      const passwordHash = await hashPassword(input.password);
      const { user, refreshToken } = await store.transaction(async (tx) => {
        const created = await tx.insertUser({
          id: randomUUID(),
          email: input.email,
          name: input.name,
          role: input.role,
          passwordHash,
          createdAt: clock.now(),
        });
        if (!created) throw emailTaken();
        await tx.publishRegistered(created, meta.requestId);
        return { user: created, refreshToken: await issueRefreshToken(tx, created.id, randomUUID()) };
      });
      return session(user, refreshToken);
    },

    /** The same error, after the same work, for an unknown email and a wrong password. */
    async login(email: string, password: string): Promise<AuthResult> {
      const user = await store.findUserByEmail(email);
      const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
      if (!user || !matches) throw invalidCredentials();
      const refreshToken = await store.transaction((tx) => issueRefreshToken(tx, user.id, randomUUID()));
      return session(user, refreshToken);
    },

    async refresh(presented: string): Promise<AuthResult> {
      // The verdict is decided and acted on inside the transaction (the row is locked, so two
      // concurrent refreshes with one token cannot both rotate), and thrown only after COMMIT
      // so that a reuse revocation is kept.
      const outcome = await store.transaction(async (tx) => {
        const stored = await tx.lockRefreshToken(hashRefreshToken(presented));
        if (!stored) return { refused: invalidRefreshToken() };
        const now = clock.now();
        const verdict = judgeRefresh(stored, now);
        if (verdict === 'reused') {
          await tx.revokeFamily(stored.familyId, now);
          return { refused: refreshTokenReused() };
        }
        if (verdict === 'revoked') return { refused: invalidRefreshToken() };
        if (verdict === 'expired') return { refused: refreshTokenExpired() };
        const user = await tx.findUserById(stored.userId);
        if (!user) return { refused: userNotFound() };
        await tx.markRefreshTokenUsed(stored.id, now);
        return { user, refreshToken: await issueRefreshToken(tx, user.id, stored.familyId) };
      });
      if ('refused' in outcome) throw outcome.refused;
      return session(outcome.user, outcome.refreshToken);
    },

    /**
     * With a refresh token: ends that sign-in (its family), whoever sends it. Without one, a
     * signed-in user's every sign-in ends. Access tokens already issued run out on their own.
     */
    async logout({
      refreshToken,
      userId,
    }: {
      refreshToken?: string | undefined;
      userId?: string | undefined;
    }): Promise<void> {
      if (!refreshToken && !userId) throw logoutNeedsToken();
      await store.transaction(async (tx) => {
        const now = clock.now();
        if (refreshToken) {
          const stored = await tx.lockRefreshToken(hashRefreshToken(refreshToken));
          if (stored && (!userId || stored.userId === userId)) await tx.revokeFamily(stored.familyId, now);
        } else if (userId) {
          await tx.revokeUserTokens(userId, now);
        }
      });
    },

    async me(userId: string): Promise<UserRecord> {
      const user = await store.findUserById(userId);
      if (!user) throw userNotFound();
      return user;
    },

    /** The administrator named by the configuration exists, is an admin, and has that password. */
    async ensureAdmin({
      email,
      password,
      name,
    }: {
      email: string;
      password: string;
      name: string;
    }): Promise<UserRecord> {
      const existing = await store.findUserByEmail(email);
      if (existing && existing.role === 'admin' && (await verifyPassword(password, existing.passwordHash)))
        return existing;
      const passwordHash = await hashPassword(password);
      return store.transaction(async (tx) => {
        if (existing) {
          // Whoever held this account before (it may have been registered by someone else
          // before the operator chose the address) keeps no session into an admin account.
          await tx.revokeUserTokens(existing.id, clock.now());
          return tx.makeAdmin(existing.id, passwordHash, clock.now());
        }
        const created = await tx.insertUser({
          id: randomUUID(),
          email,
          name,
          role: 'admin',
          passwordHash,
          createdAt: clock.now(),
        });
        if (!created) throw emailTaken();
        await tx.publishRegistered(created, undefined);
        return created;
      });
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;

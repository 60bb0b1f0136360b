// Accounts: register, log in, the signed-in user, grants, and the administrator from the configuration.
// Logins go through the sign-in limits, which count each attempt before its password is checked.
import { randomUUID } from 'node:crypto';
import { UserGrant } from '@azora/contracts';
import { withTransaction, type Clock, type Pool, type Publish, type Queryable } from '@azora/service-kit';
import { revokeUserTokens } from '../db/refresh-tokens';
import { findUserByEmail, findUserById, insertUser, makeAdmin, setGrants } from '../db/users';
import { emailTaken, invalidCredentials, noSuchUser, userNotFound } from '../domain/errors';
import { hashPassword, verifyPassword } from '../domain/passwords';
import { normaliseGrants, type RegisterInput, type UserRecord } from '../domain/users';
import type { AuthResult, Sessions } from './sessions';
import type { SignInLimits } from './sign-in-limits';

export interface AccountDeps {
  pool: Pool;
  publish: Publish;
  clock: Clock;
  sessions: Sessions;
  limits: SignInLimits;
  /** The hash an unknown email is checked against (see createDecoyHash). */
  decoyHash: () => Promise<string>;
}

export function createAccounts({ pool, publish, clock, sessions, limits, decoyHash }: AccountDeps) {
  async function announce(tx: Queryable, user: UserRecord, requestId: string | undefined): Promise<void> {
    await publish(
      tx,
      'identity.user.registered',
      { userId: user.id, email: user.email, name: user.name, role: user.role },
      { subject: user.id, requestId },
    );
  }

  return {
    async register(input: RegisterInput, meta: { requestId?: string } = {}): Promise<AuthResult> {
      await limits.registration(input.email);
      const passwordHash = await hashPassword(input.password);
      const { user, refreshToken } = await withTransaction(pool, async (tx) => {
        const created = await insertUser(tx, {
          id: randomUUID(),
          email: input.email,
          name: input.name,
          role: input.role,
          passwordHash,
          createdAt: clock.now(),
        });
        if (!created) throw emailTaken();
        await announce(tx, created, meta.requestId);
        return { user: created, refreshToken: await sessions.issueRefreshToken(tx, created.id, randomUUID()) };
      });
      return sessions.withAccessToken(user, refreshToken);
    },

    /** The same error, after the same work, for an unknown email and a wrong password. */
    login(email: string, password: string): Promise<AuthResult> {
      return limits.login(email, async () => {
        const user = await findUserByEmail(pool, email);
        const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
        if (!user || !matches) throw invalidCredentials();
        return sessions.start(user);
      });
    },

    async me(userId: string): Promise<UserRecord> {
      const user = await findUserById(pool, userId);
      if (!user) throw userNotFound();
      return user;
    },

    /**
     * Replaces the user's grants (an empty list revokes them all). Tokens already issued keep
     * what they carry until they expire; the next login or refresh carries the new grants.
     */
    async setGrants(userId: string, grants: readonly UserGrant[]): Promise<UserRecord> {
      const updated = await setGrants(pool, userId, normaliseGrants(grants, UserGrant.options), clock.now());
      if (!updated) throw noSuchUser(userId);
      return updated;
    },

    /** The administrator named by the configuration exists, is an admin, and has that password. */
    async ensureAdmin({ email, password, name }: { email: string; password: string; name: string }) {
      const existing = await findUserByEmail(pool, email);
      if (existing && existing.role === 'admin' && (await verifyPassword(password, existing.passwordHash)))
        return existing;
      const passwordHash = await hashPassword(password);
      return withTransaction(pool, async (tx): Promise<UserRecord> => {
        if (existing) {
          // Whoever held this account before (it may have been registered by someone else
          // before the operator chose the address) keeps no session into an admin account.
          await revokeUserTokens(tx, existing.id, clock.now());
          return makeAdmin(tx, existing.id, passwordHash, clock.now());
        }
        const created = await insertUser(tx, {
          id: randomUUID(),
          email,
          name,
          role: 'admin',
          passwordHash,
          createdAt: clock.now(),
        });
        if (!created) throw emailTaken();
        await announce(tx, created, undefined);
        return created;
      });
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;

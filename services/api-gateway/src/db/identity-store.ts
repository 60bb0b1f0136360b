// The identity store over PostgreSQL: the domain's ports bound to SQL, transactions that also
// carry the outbox write of identity.user.registered.
import { withTransaction, type Pool, type Publish, type Queryable } from '@azora/service-kit';
import type { IdentityStore, IdentityTx } from '../domain/ports';
import {
  insertRefreshToken,
  lockRefreshToken,
  markRefreshTokenUsed,
  revokeFamily,
  revokeUserTokens,
} from './refresh-tokens';
import { findUserByEmail, findUserById, insertUser, makeAdmin } from './users';

function inTransaction(tx: Queryable, publish: Publish): IdentityTx {
  return {
    findUserByEmail: (email) => findUserByEmail(tx, email),
    findUserById: (id) => findUserById(tx, id),
    insertUser: (user) => insertUser(tx, user),
    makeAdmin: (id, hash, at) => makeAdmin(tx, id, hash, at),
    async publishRegistered(user, requestId) {
      await publish(
        tx,
        'identity.user.registered',
        { userId: user.id, email: user.email, name: user.name, role: user.role },
        { subject: user.id, requestId },
      );
    },
    insertRefreshToken: (token) => insertRefreshToken(tx, token),
    lockRefreshToken: (hash) => lockRefreshToken(tx, hash),
    markRefreshTokenUsed: (id, at) => markRefreshTokenUsed(tx, id, at),
    revokeFamily: (familyId, at) => revokeFamily(tx, familyId, at),
    revokeUserTokens: (userId, at) => revokeUserTokens(tx, userId, at),
  };
}

export function createIdentityStore({ pool, publish }: { pool: Pool; publish: Publish }): IdentityStore {
  return {
    findUserByEmail: (email) => findUserByEmail(pool, email),
    findUserById: (id) => findUserById(pool, id),
    transaction: (fn) => withTransaction(pool, (tx) => fn(inTransaction(tx, publish))),
  };
}

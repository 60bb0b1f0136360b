// What the identity rules need from the outside: user and refresh-token storage (inside a
// transaction, together with the outbox) and access-token signing.
import type { UserRole } from '@azora/contracts';
import type { StoredRefreshToken } from './refresh-tokens';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  passwordHash: string;
  createdAt: Date;
}

export interface NewRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  tokenHash: Buffer;
  createdAt: Date;
  expiresAt: Date;
}

export interface IdentityReads {
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
}

export interface IdentityTx extends IdentityReads {
  /** Null when the email is taken (case-insensitively). */
  insertUser(user: UserRecord): Promise<UserRecord | null>;
  makeAdmin(id: string, passwordHash: string, at: Date): Promise<UserRecord>;
  /** Publishes identity.user.registered through the outbox, in this transaction. */
  publishRegistered(user: UserRecord, requestId: string | undefined): Promise<void>;
  insertRefreshToken(token: NewRefreshToken): Promise<void>;
  /** The token with this hash, locked until the transaction ends. */
  lockRefreshToken(tokenHash: Buffer): Promise<StoredRefreshToken | null>;
  markRefreshTokenUsed(id: string, at: Date): Promise<void>;
  revokeFamily(familyId: string, at: Date): Promise<void>;
  revokeUserTokens(userId: string, at: Date): Promise<void>;
}

export interface IdentityStore extends IdentityReads {
  transaction<T>(fn: (tx: IdentityTx) => Promise<T>): Promise<T>;
}

export interface AccessTokens {
  issue(user: { id: string; role: UserRole }): Promise<{ token: string; expiresAt: Date }>;
}

// SQL for refresh tokens: stored by hash, locked while judged, revoked by family or by user.
import type { Queryable } from '@azora/service-kit';
import type { NewRefreshToken, StoredRefreshToken } from '../domain/refresh-tokens';

interface RefreshTokenRow {
  id: string;
  family_id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export async function insertRefreshToken(db: Queryable, token: NewRefreshToken): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [token.id, token.familyId, token.userId, token.tokenHash, token.createdAt, token.expiresAt],
  );
}

export async function lockRefreshToken(db: Queryable, tokenHash: Buffer): Promise<StoredRefreshToken | null> {
  const { rows } = await db.query<RefreshTokenRow>(
    `SELECT id, family_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    familyId: row.family_id,
    userId: row.user_id,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    revokedAt: row.revoked_at,
  };
}

export async function markRefreshTokenUsed(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query(`UPDATE refresh_tokens SET used_at = $2 WHERE id = $1`, [id, at]);
}

export async function revokeFamily(db: Queryable, familyId: string, at: Date): Promise<void> {
  await db.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [
    familyId,
    at,
  ]);
}

export async function revokeUserTokens(db: Queryable, userId: string, at: Date): Promise<void> {
  await db.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [userId, at]);
}

// SQL for the access-token signing keys kept in the gateway's schema: the private key sealed
// (keys/key-encryption.ts), their rotation under an advisory lock (so two gateway processes never
// add two keys at once), and the sealing of rows stored in the clear before encryption existed.
import type { JWK } from 'jose';
import { withTransaction, type Pool, type Queryable } from '@azora/service-kit';
import { ACTIVATION_DELAY_MS, viewKeyRing, type RotationPolicy } from '../domain/key-rotation';

export interface StoredSigningKey {
  kid: string;
  /** The private key as keys/key-encryption.ts sealed it; null for a row still in the clear. */
  sealedPrivateKey: string | null;
  /** Only rows written before encryption existed, until they are sealed. */
  plaintextPem: string | null;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

export interface NewSigningKey {
  kid: string;
  sealedPrivateKey: string;
  publicJwk: JWK;
}

interface SigningKeyRow {
  kid: string;
  private_key_sealed: string | null;
  private_key_pem: string | null;
  public_jwk: JWK;
  created_at: Date;
  retired_at: Date | null;
}

export async function readSigningKeys(db: Queryable): Promise<StoredSigningKey[]> {
  const { rows } = await db.query<SigningKeyRow>(
    `SELECT kid, private_key_sealed, private_key_pem, public_jwk, created_at, retired_at
       FROM signing_keys ORDER BY created_at`,
  );
  return rows.map((r) => ({
    kid: r.kid,
    sealedPrivateKey: r.private_key_sealed,
    plaintextPem: r.private_key_pem,
    publicJwk: r.public_jwk,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
  }));
}

/**
 * Adds `fresh` when rotation is still due once the lock is held (another process may have
 * rotated meanwhile); the key it replaces keeps signing for the activation delay.
 */
export async function rotateSigningKey(
  pool: Pool,
  fresh: NewSigningKey,
  now: Date,
  policy: RotationPolicy,
): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('gateway.signing_keys'))`);
    const keys = await readSigningKeys(tx);
    if (!viewKeyRing(keys, now, policy).rotationDue) return;
    const retireAt = new Date(now.getTime() + (keys.length === 0 ? 0 : ACTIVATION_DELAY_MS));
    await tx.query(`UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL`, [retireAt]);
    await tx.query(
      `INSERT INTO signing_keys (kid, private_key_sealed, public_jwk, created_at) VALUES ($1, $2, $3, $4)`,
      [fresh.kid, fresh.sealedPrivateKey, JSON.stringify(fresh.publicJwk), now],
    );
  });
}

/** Seals every key still stored in the clear; returns the kids it sealed. */
export async function sealPlaintextKeys(pool: Pool, seal: (pem: string, kid: string) => string): Promise<string[]> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ kid: string; private_key_pem: string }>(
      `SELECT kid, private_key_pem FROM signing_keys WHERE private_key_pem IS NOT NULL FOR UPDATE`,
    );
    for (const row of rows) {
      await tx.query(`UPDATE signing_keys SET private_key_sealed = $2, private_key_pem = NULL WHERE kid = $1`, [
        row.kid,
        seal(row.private_key_pem, row.kid),
      ]);
    }
    return rows.map((r) => r.kid);
  });
}

/** Keys whose tokens have all expired are no use to anyone: drop them. */
export async function deleteSigningKeysRetiredBefore(db: Queryable, before: Date): Promise<void> {
  await db.query(`DELETE FROM signing_keys WHERE retired_at < $1`, [before]);
}

// Employer verification in SQL: an admin's decision per employer (no row: never verified).
import type { Queryable } from '@azora/service-kit';
import type { VerificationRecord } from '../domain/records';

export async function findVerification(db: Queryable, userId: string): Promise<VerificationRecord | null> {
  const { rows } = await db.query<{ user_id: string; verified: boolean; updated_by: string; updated_at: Date }>(
    `SELECT user_id, verified, updated_by, updated_at FROM employer_verifications WHERE user_id = $1`,
    [userId],
  );
  const row = rows[0];
  return row
    ? { userId: row.user_id, verified: row.verified, updatedBy: row.updated_by, updatedAt: row.updated_at }
    : null;
}

/** Records the decision; sending the current value changes nothing (the first decision's stamp stays). */
export async function saveVerification(
  db: Queryable,
  decision: { userId: string; verified: boolean; adminId: string; now: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO employer_verifications (user_id, verified, updated_by, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET verified = EXCLUDED.verified, updated_by = EXCLUDED.updated_by,
       updated_at = EXCLUDED.updated_at
     WHERE employer_verifications.verified IS DISTINCT FROM EXCLUDED.verified`,
    [decision.userId, decision.verified, decision.adminId, decision.now],
  );
}

// Token debts in SQL: what refunded top-ups still have to take back from a wallet.
import type { Queryable } from '@azora/service-kit';
import type { DebtRecord, DebtStore } from '../domain/ports';

export function createDebtStore(db: Queryable): DebtStore {
  return {
    async record({ paymentId, userId, original, at }) {
      const { rowCount } = await db.query(
        `INSERT INTO token_debts (payment_id, user_id, original, owed, created_at) VALUES ($1, $2, $3, $3, $4) ON CONFLICT (payment_id) DO NOTHING`,
        [paymentId, userId, original, at],
      );
      return (rowCount ?? 0) > 0;
    },

    async exists(paymentId) {
      const { rowCount } = await db.query('SELECT 1 FROM token_debts WHERE payment_id = $1', [paymentId]);
      return (rowCount ?? 0) > 0;
    },

    async lockOpen(userId) {
      const { rows } = await db.query<DebtRecord>(
        `SELECT payment_id AS "paymentId", user_id AS "userId", original, owed FROM token_debts
         WHERE user_id = $1 AND owed > 0 ORDER BY created_at, payment_id FOR UPDATE`,
        [userId],
      );
      return rows;
    },

    async reduce(paymentId, by, at) {
      await db.query(
        `UPDATE token_debts SET owed = owed - $2, settled_at = CASE WHEN owed - $2 = 0 THEN $3::timestamptz END WHERE payment_id = $1`,
        [paymentId, by, at],
      );
    },
  };
}

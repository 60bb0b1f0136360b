// The admin audit trail in SQL: append-only, newest first.
import type { Queryable } from '@azora/service-kit';
import type { AdminActionRecord, AuditStore } from '../domain/ports';

const COLUMNS = `seq, id, admin_id AS "adminId", action, user_id AS "userId", amount, memo, transfer_id AS "transferId",
  request_id AS "requestId", created_at AS "createdAt"`;

export function createAuditStore(db: Queryable): AuditStore {
  return {
    async record(a) {
      const { rows } = await db.query<AdminActionRecord>(
        `INSERT INTO admin_actions (id, admin_id, action, user_id, amount, memo, transfer_id, request_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [a.id, a.adminId, a.action, a.userId, a.amount, a.memo, a.transferId, a.requestId, a.createdAt],
      );
      const row = rows[0];
      if (!row) throw new Error('recording an admin action returned no row');
      return row;
    },

    async byTransfer(transferId) {
      const { rows } = await db.query<AdminActionRecord>(
        `SELECT ${COLUMNS} FROM admin_actions WHERE transfer_id = $1`,
        [transferId],
      );
      return rows[0] ?? null;
    },

    async list({ beforeSeq, limit }) {
      const { rows } = await db.query<AdminActionRecord>(
        `SELECT ${COLUMNS} FROM admin_actions WHERE seq < $1 ORDER BY seq DESC LIMIT $2`,
        [beforeSeq ?? Number.MAX_SAFE_INTEGER, limit],
      );
      return rows;
    },
  };
}

// Reward decisions in SQL: append-only, one per reference, newest first per user.
import type { Queryable } from '@azora/service-kit';
import type { RewardDecisionRecord, RewardDecisionStore } from '../domain/ports';

const COLUMNS = `seq, id, user_id AS "userId", trigger, reference, amount, paid, held_back AS "heldBack", reason,
  transfer_id AS "transferId", to_char(day, 'YYYY-MM-DD') AS day, event_id AS "eventId", request_id AS "requestId",
  created_at AS "createdAt"`;

export function createRewardDecisionStore(db: Queryable): RewardDecisionStore {
  return {
    async record(d) {
      const { rowCount } = await db.query(
        `INSERT INTO reward_decisions (id, user_id, trigger, reference, amount, paid, held_back, reason, transfer_id, day,
           event_id, request_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (reference) DO NOTHING`,
        [
          d.id,
          d.userId,
          d.trigger,
          d.reference,
          d.amount,
          d.paid,
          d.heldBack,
          d.reason,
          d.transferId,
          d.day,
          d.eventId,
          d.requestId,
          d.createdAt,
        ],
      );
      return (rowCount ?? 0) > 0;
    },

    async decided(reference) {
      const { rowCount } = await db.query('SELECT 1 FROM reward_decisions WHERE reference = $1', [reference]);
      return (rowCount ?? 0) > 0;
    },

    async paidOn(userId, day) {
      const { rows } = await db.query<{ paid: number }>(
        `SELECT coalesce(sum(paid), 0)::bigint AS paid FROM reward_decisions WHERE user_id = $1 AND day = $2`,
        [userId, day],
      );
      return rows[0]?.paid ?? 0;
    },

    async list(userId, { beforeSeq, limit }) {
      const { rows } = await db.query<RewardDecisionRecord>(
        `SELECT ${COLUMNS} FROM reward_decisions WHERE user_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
        [userId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit],
      );
      return rows;
    },
  };
}

// Refunds in SQL: one row per refund asked of the provider (by an admin here, or at the
// provider's dashboard), changed only under its payment's row lock.
import type { RefundReason, RefundStatus } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { RefundRecord } from '../domain/records';

interface RefundRow {
  id: string;
  payment_id: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason: RefundReason | null;
  provider_refund_id: string | null;
  idempotency_key: string | null;
  requested_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, payment_id, amount, currency, status, reason, provider_refund_id, idempotency_key, requested_by, created_at, updated_at';

function toRecord(row: RefundRow): RefundRecord {
  return {
    id: row.id,
    paymentId: row.payment_id,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    reason: row.reason,
    providerRefundId: row.provider_refund_id,
    idempotencyKey: row.idempotency_key,
    requestedBy: row.requested_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type NewRefund = Omit<RefundRecord, 'createdAt' | 'updatedAt'> & { now: Date };

export async function insertRefund(db: Queryable, r: NewRefund): Promise<RefundRecord> {
  const { rows } = await db.query<RefundRow>(
    `INSERT INTO refunds (id, payment_id, amount, currency, status, reason, provider_refund_id, idempotency_key,
       requested_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING ${COLUMNS}`,
    [
      r.id,
      r.paymentId,
      r.amount,
      r.currency,
      r.status,
      r.reason,
      r.providerRefundId,
      r.idempotencyKey,
      r.requestedBy,
      r.now,
    ],
  );
  return toRecord(rows[0] as RefundRow);
}

export async function findRefundByKey(db: Queryable, paymentId: string, key: string): Promise<RefundRecord | null> {
  const { rows } = await db.query<RefundRow>(
    `SELECT ${COLUMNS} FROM refunds WHERE payment_id = $1 AND idempotency_key = $2`,
    [paymentId, key],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The refund the provider names: by its provider id, else by our id from its metadata. */
export async function findRefundForProvider(
  db: Queryable,
  providerRefundId: string,
  refundId: string | null,
): Promise<RefundRecord | null> {
  const { rows } = await db.query<RefundRow>(
    `SELECT ${COLUMNS} FROM refunds WHERE provider_refund_id = $1 OR id = $2::uuid ORDER BY provider_refund_id NULLS LAST LIMIT 1`,
    [providerRefundId, refundId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Pending and succeeded refunds of a payment: what is no longer available to refund. */
export async function committedRefundTotal(db: Queryable, paymentId: string): Promise<number> {
  const { rows } = await db.query<{ total: number }>(
    `SELECT COALESCE(sum(amount), 0)::bigint AS total FROM refunds
     WHERE payment_id = $1 AND status IN ('pending', 'succeeded')`,
    [paymentId],
  );
  return rows[0]?.total ?? 0;
}

export async function updateRefund(
  db: Queryable,
  id: string,
  change: { status: RefundStatus; providerRefundId: string | null; now: Date },
): Promise<RefundRecord> {
  const { rows } = await db.query<RefundRow>(
    `UPDATE refunds SET status = $2, provider_refund_id = COALESCE(provider_refund_id, $3), updated_at = $4
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, change.status, change.providerRefundId, change.now],
  );
  if (!rows[0]) throw new Error(`refund ${id} vanished`);
  return toRecord(rows[0]);
}

export async function findRefund(db: Queryable, id: string): Promise<RefundRecord | null> {
  const { rows } = await db.query<RefundRow>(`SELECT ${COLUMNS} FROM refunds WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

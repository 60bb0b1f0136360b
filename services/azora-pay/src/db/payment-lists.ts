// Payments in bulk: the buyer's pages, and the open payments reconciliation claims.
import type { PaymentStatus } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { PaymentRecord } from '../domain/records';
import { COLUMNS, toRecord, type PaymentRow } from './payment-rows';

export interface PagePosition {
  createdAt: string;
  id: string;
}

/** The user's payments, newest first, with each row's exact keyset position. */
export async function listUserPayments(
  db: Queryable,
  userId: string,
  page: { after?: PagePosition | undefined; limit: number; status?: PaymentStatus | undefined },
): Promise<Array<{ payment: PaymentRecord; position: PagePosition }>> {
  const { rows } = await db.query<PaymentRow & { cursor_at: string }>(
    `SELECT ${COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
     FROM payments
     WHERE user_id = $1 AND ($2::text IS NULL OR status = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [userId, page.status ?? null, page.after?.createdAt ?? null, page.after?.id ?? null, page.limit],
  );
  return rows.map((row) => ({ payment: toRecord(row), position: { createdAt: row.cursor_at, id: row.id } }));
}

/**
 * Open payments with a provider intent to ask the provider about: not changed for `minAgeMs`,
 * not asked within `minAgeMs`, and (unless processing) younger than `maxAgeMs`. Claimed by
 * stamping reconciled_at, skipping rows another instance holds.
 */
export async function claimForReconciliation(
  db: Queryable,
  { now, minAgeMs, maxAgeMs, limit }: { now: Date; minAgeMs: number; maxAgeMs: number; limit: number },
): Promise<PaymentRecord[]> {
  const quietSince = new Date(now.getTime() - minAgeMs);
  const createdSince = new Date(now.getTime() - maxAgeMs);
  const { rows } = await db.query<PaymentRow>(
    `UPDATE payments SET reconciled_at = $1
     WHERE id IN (
       SELECT id FROM payments
       WHERE status IN ('requires_payment_method', 'requires_action', 'processing')
         AND provider_payment_id IS NOT NULL
         AND updated_at <= $2
         AND (reconciled_at IS NULL OR reconciled_at <= $2)
         AND (status = 'processing' OR created_at >= $3)
       ORDER BY reconciled_at NULLS FIRST, created_at
       LIMIT $4
       FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [now, quietSince, createdSince, limit],
  );
  return rows.map(toRecord);
}

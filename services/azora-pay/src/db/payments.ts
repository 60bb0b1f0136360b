// Payments in SQL. Every change of a payment happens under its row lock (`findPayment` with
// `lock`, `lockPaymentByIntent`), so a webhook, the buyer's confirmation and reconciliation that
// settle the same payment at the same moment queue up, and only the first moves it.
import type { PaymentStatus } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { PaymentFailureRecord, PaymentRecord, ProviderName } from '../domain/records';
import { COLUMNS, toRecord, type PaymentRow } from './payment-rows';

export interface NewPayment {
  id: string;
  userId: string;
  purpose: PaymentRecord['purpose'];
  courseId: string | null;
  tokens: number | null;
  amount: number;
  currency: string;
  provider: ProviderName;
  idempotencyKey: string | null;
  requestId: string | null;
  now: Date;
}

/**
 * Inserts a payment awaiting its payment method. Null when an open checkout of the same course
 * by the same buyer, or an earlier checkout with the same Idempotency-Key, already exists.
 */
export async function insertPayment(db: Queryable, p: NewPayment): Promise<PaymentRecord | null> {
  const { rows } = await db.query<PaymentRow>(
    `INSERT INTO payments (id, user_id, purpose, course_id, tokens, amount, currency, status, provider,
       idempotency_key, request_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'requires_payment_method', $8, $9, $10, $11, $11)
     ON CONFLICT DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      p.id,
      p.userId,
      p.purpose,
      p.courseId,
      p.tokens,
      p.amount,
      p.currency,
      p.provider,
      p.idempotencyKey,
      p.requestId,
      p.now,
    ],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findPayment(db: Queryable, id: string, { lock = false } = {}): Promise<PaymentRecord | null> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${COLUMNS} FROM payments WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The payment of a provider intent, locked for the caller's transaction. */
export async function lockPaymentByIntent(db: Queryable, intentId: string): Promise<PaymentRecord | null> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${COLUMNS} FROM payments WHERE provider_payment_id = $1 FOR UPDATE`,
    [intentId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findByIdempotencyKey(db: Queryable, userId: string, key: string): Promise<PaymentRecord | null> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${COLUMNS} FROM payments WHERE user_id = $1 AND idempotency_key = $2`,
    [userId, key],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The buyer's open checkout of a course (at most one, by a unique index). */
export async function findOpenCoursePayment(
  db: Queryable,
  userId: string,
  courseId: string,
): Promise<PaymentRecord | null> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${COLUMNS} FROM payments WHERE user_id = $1 AND course_id = $2 AND purpose = 'course'
       AND status IN ('requires_payment_method', 'requires_action', 'processing', 'failed')`,
    [userId, courseId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** A paid (and not fully refunded) payment of the buyer for the course, if any. */
export async function findPaidCoursePayment(
  db: Queryable,
  userId: string,
  courseId: string,
): Promise<PaymentRecord | null> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${COLUMNS} FROM payments WHERE user_id = $1 AND course_id = $2 AND purpose = 'course'
       AND status IN ('succeeded', 'partially_refunded') ORDER BY created_at LIMIT 1`,
    [userId, courseId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/**
 * Records the provider's intent on the payment (once; the same intent again changes nothing) and
 * answers the payment as it now stands; null when the payment has another intent.
 */
export async function attachIntent(
  db: Queryable,
  id: string,
  intent: { id: string; clientSecret: string | null },
  now: Date,
): Promise<PaymentRecord | null> {
  const { rows } = await db.query<PaymentRow>(
    `UPDATE payments SET provider_payment_id = $2, client_secret = COALESCE($3, client_secret), updated_at = $4
     WHERE id = $1 AND (provider_payment_id IS NULL OR provider_payment_id = $2) RETURNING ${COLUMNS}`,
    [id, intent.id, intent.clientSecret, now],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export interface StatusChange {
  status: PaymentStatus;
  failure?: PaymentFailureRecord | null;
  amountRefunded?: number;
  now: Date;
}

export async function updateStatus(db: Queryable, id: string, change: StatusChange): Promise<PaymentRecord> {
  const { rows } = await db.query<PaymentRow>(
    `UPDATE payments SET status = $2, updated_at = $3,
       failure_code = CASE WHEN $4::boolean THEN $5 ELSE failure_code END,
       failure_decline_code = CASE WHEN $4::boolean THEN $6 ELSE failure_decline_code END,
       failure_message = CASE WHEN $4::boolean THEN $7 ELSE failure_message END,
       amount_refunded = COALESCE($8, amount_refunded),
       succeeded_at = CASE WHEN $2 = 'succeeded' THEN $3 ELSE succeeded_at END,
       refunded_at = CASE WHEN $2 = 'refunded' THEN $3 ELSE refunded_at END
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      id,
      change.status,
      change.now,
      change.failure !== undefined,
      change.failure?.code ?? null,
      change.failure?.declineCode ?? null,
      change.failure?.message ?? null,
      change.amountRefunded ?? null,
    ],
  );
  if (!rows[0]) throw new Error(`payment ${id} vanished while locked`);
  return toRecord(rows[0]);
}

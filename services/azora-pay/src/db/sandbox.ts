// The sandbox provider's state in SQL: its PaymentIntents and refunds, as durable as Stripe's.
// Each state change is one statement (or one transaction), so confirming twice at once moves an
// intent once, and a refund never takes more than what is left.
import { withTransaction, type Pool, type Queryable } from '@azora/service-kit';

export interface SandboxIntentRow {
  id: string;
  idempotency_key: string;
  client_secret: string;
  amount: number;
  currency: string;
  status: string;
  metadata: Record<string, string>;
  payment_method: string | null;
  last_error: { code: string; decline_code: string | null; message: string } | null;
  amount_refunded: number;
  created_at: Date;
  updated_at: Date;
}

export interface SandboxRefundRow {
  id: string;
  intent_id: string;
  idempotency_key: string;
  amount: number;
  currency: string;
  status: string;
  reason: string | null;
  metadata: Record<string, string>;
  created_at: Date;
}

/** Creates the intent, or returns the one created earlier with the same idempotency key. */
export async function createSandboxIntent(
  db: Queryable,
  intent: Omit<SandboxIntentRow, 'payment_method' | 'last_error' | 'amount_refunded' | 'updated_at' | 'status'>,
): Promise<{ intent: SandboxIntentRow; created: boolean }> {
  const { rows } = await db.query<SandboxIntentRow>(
    `INSERT INTO sandbox_intents (id, idempotency_key, client_secret, amount, currency, status, metadata, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'requires_payment_method', $6, $7, $7)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
    [
      intent.id,
      intent.idempotency_key,
      intent.client_secret,
      intent.amount,
      intent.currency,
      intent.metadata,
      intent.created_at,
    ],
  );
  if (rows[0]) return { intent: rows[0], created: true };
  const existing = await db.query<SandboxIntentRow>(`SELECT * FROM sandbox_intents WHERE idempotency_key = $1`, [
    intent.idempotency_key,
  ]);
  return { intent: existing.rows[0] as SandboxIntentRow, created: false };
}

export async function findSandboxIntent(db: Queryable, id: string): Promise<SandboxIntentRow | null> {
  const { rows } = await db.query<SandboxIntentRow>(`SELECT * FROM sandbox_intents WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** Applies a confirmation's outcome if the intent still awaits one; null otherwise. */
export async function confirmSandboxIntent(
  db: Queryable,
  id: string,
  outcome: { status: string; paymentMethod: string; lastError: SandboxIntentRow['last_error']; now: Date },
): Promise<SandboxIntentRow | null> {
  const { rows } = await db.query<SandboxIntentRow>(
    `UPDATE sandbox_intents SET status = $2, payment_method = $3, last_error = $4, updated_at = $5
     WHERE id = $1 AND status IN ('requires_payment_method', 'requires_action') RETURNING *`,
    [id, outcome.status, outcome.paymentMethod, outcome.lastError, outcome.now],
  );
  return rows[0] ?? null;
}

export type SandboxRefundOutcome =
  | { kind: 'created' | 'existing'; refund: SandboxRefundRow }
  | { kind: 'missing' | 'not_succeeded' | 'exceeds'; refund: null };

/** Refunds part of a succeeded intent, once per idempotency key. */
export function refundSandboxIntent(
  pool: Pool,
  refund: Omit<SandboxRefundRow, 'status' | 'currency'>,
): Promise<SandboxRefundOutcome> {
  return withTransaction(pool, async (tx): Promise<SandboxRefundOutcome> => {
    // The intent's lock first: a twin call with the same key waits here, then finds the refund
    // the first one made (looked up after the lock, it is committed by then) instead of making a
    // second one and failing on the key.
    const { rows } = await tx.query<SandboxIntentRow>(`SELECT * FROM sandbox_intents WHERE id = $1 FOR UPDATE`, [
      refund.intent_id,
    ]);
    const existing = await tx.query<SandboxRefundRow>(`SELECT * FROM sandbox_refunds WHERE idempotency_key = $1`, [
      refund.idempotency_key,
    ]);
    if (existing.rows[0]) return { kind: 'existing', refund: existing.rows[0] };
    const intent = rows[0];
    if (!intent) return { kind: 'missing', refund: null };
    if (intent.status !== 'succeeded') return { kind: 'not_succeeded', refund: null };
    if (refund.amount > intent.amount - intent.amount_refunded) return { kind: 'exceeds', refund: null };
    await tx.query(`UPDATE sandbox_intents SET amount_refunded = amount_refunded + $2, updated_at = $3 WHERE id = $1`, [
      intent.id,
      refund.amount,
      refund.created_at,
    ]);
    const inserted = await tx.query<SandboxRefundRow>(
      `INSERT INTO sandbox_refunds (id, intent_id, idempotency_key, amount, currency, status, reason, metadata, created_at)
       VALUES ($1, $2, $3, $4, $5, 'succeeded', $6, $7, $8) RETURNING *`,
      [
        refund.id,
        refund.intent_id,
        refund.idempotency_key,
        refund.amount,
        intent.currency,
        refund.reason,
        refund.metadata,
        refund.created_at,
      ],
    );
    return { kind: 'created', refund: inserted.rows[0] as SandboxRefundRow };
  });
}

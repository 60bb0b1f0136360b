// Provider events in SQL: each verified event id is stored once, so a redelivery is recognised
// by the insert, inside the transaction that applies it.
import type { Queryable } from '@azora/service-kit';

export type EventOutcome = 'applied' | 'ignored' | 'unmatched';

export interface StoredProviderEvent {
  id: string;
  provider: string;
  type: string;
  objectId: string | null;
  payload: unknown;
  createdAt: Date;
  receivedAt: Date;
}

/** Stores the event as unmatched; false when its id was stored before (a duplicate). */
export async function recordEvent(db: Queryable, event: StoredProviderEvent): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO provider_events (id, provider, type, object_id, outcome, payload, created_at, received_at)
     VALUES ($1, $2, $3, $4, 'unmatched', $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [
      event.id,
      event.provider,
      event.type,
      event.objectId,
      JSON.stringify(event.payload),
      event.createdAt,
      event.receivedAt,
    ],
  );
  return (rowCount ?? 0) > 0;
}

export async function setOutcome(
  db: Queryable,
  id: string,
  outcome: EventOutcome,
  paymentId: string | null,
): Promise<void> {
  await db.query(`UPDATE provider_events SET outcome = $2, payment_id = $3 WHERE id = $1`, [id, outcome, paymentId]);
}

/** Unmatched events about a provider object, oldest first, locked for the caller to apply. */
export async function lockUnmatchedEvents(
  db: Queryable,
  objectId: string,
): Promise<Array<{ id: string; payload: unknown }>> {
  const { rows } = await db.query<{ id: string; payload: unknown }>(
    `SELECT id, payload FROM provider_events WHERE object_id = $1 AND outcome = 'unmatched'
     ORDER BY created_at, received_at FOR UPDATE`,
    [objectId],
  );
  return rows;
}

// Dead letters in SQL: listing them with the copy of the event each keeps, and holding one (FOR
// UPDATE NOWAIT) while it is retried by hand, so two retries of the same dead letter never run at
// once. Both backends keep their dead letters here.
import { keysetPage, type StoredEvent } from '@azora/contracts';
import type { Pool, Queryable } from '@azora/service-kit';
import type { DeadLetterClaim, DeadLetterFilter } from '../domain/ports';
import type { DeadLetterRecord, DeadLetterStatus } from '../domain/records';
import { beginHeld } from './held-transaction';

interface DeadLetterRow {
  dead_letter_id: string;
  event: StoredEvent;
  ordinal: number;
  subscription_id: string;
  subscriber: string;
  attempts: number;
  last_error: string;
  status: DeadLetterStatus;
  created_at: Date;
  retried_at: Date | null;
}

const SELECT_DEAD_LETTERS = `
SELECT d.id AS dead_letter_id, d.ordinal, d.subscription_id, s.subscriber, d.attempts, d.last_error, d.status, d.created_at, d.retried_at,
       d.event
FROM dead_letters d
JOIN subscriptions s ON s.id = d.subscription_id`;

function toDeadLetterRecord(row: DeadLetterRow): DeadLetterRecord {
  return {
    id: row.dead_letter_id,
    subscriptionId: row.subscription_id,
    subscriber: row.subscriber,
    event: row.event,
    attempts: row.attempts,
    lastError: row.last_error,
    status: row.status,
    createdAt: row.created_at,
    retriedAt: row.retried_at,
  };
}

/** Oldest first, keyset-paginated on the creation ordinal; `next` is where the next page starts. */
export async function listDeadLetters(
  db: Queryable,
  { subscriber, status, after, limit }: DeadLetterFilter,
): Promise<{ items: DeadLetterRecord[]; next: number | null }> {
  const { rows } = await db.query<DeadLetterRow>(
    `${SELECT_DEAD_LETTERS}
     WHERE ($1::text IS NULL OR s.subscriber = $1) AND ($2::text IS NULL OR d.status = $2)
       AND d.ordinal > $3
     ORDER BY d.ordinal LIMIT $4`,
    [subscriber ?? null, status ?? null, after ?? 0, limit + 1],
  );
  const { items, nextCursor } = keysetPage(rows, limit, toDeadLetterRecord, (last) => last.ordinal);
  return { items, next: nextCursor };
}

const MARK = `
WITH marked AS (
  UPDATE dead_letters SET attempts = attempts + 1, status = $2, last_error = coalesce($3, last_error), retried_at = $4
  WHERE id = $1 RETURNING *
)
${SELECT_DEAD_LETTERS.replace('FROM dead_letters d', 'FROM marked d')}`;

/** Locks the dead letter for a retry by hand: 'missing' when there is no such dead letter,
 * 'busy' when another retry holds it right now. */
export async function claimDeadLetter(pool: Pool, id: string): Promise<DeadLetterClaim | 'missing' | 'busy'> {
  const held = await beginHeld(pool);
  try {
    const locked = await held.tx.query<{ id: string }>('SELECT id FROM dead_letters WHERE id = $1 FOR UPDATE NOWAIT', [
      id,
    ]);
    if (locked.rows.length === 0) {
      await held.rollback();
      return 'missing';
    }
    const { rows } = await held.tx.query<DeadLetterRow & { endpoint: string; secret: string }>(
      `${SELECT_DEAD_LETTERS.replace('s.subscriber,', 's.subscriber, s.endpoint, s.secret,')} WHERE d.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) throw new Error(`dead letter ${id} lost its subscription`);
    const mark = async (status: DeadLetterStatus, error: string | null, at: Date) => {
      try {
        const marked = await held.tx.query<DeadLetterRow>(MARK, [id, status, error, at]);
        await held.commit();
        const markedRow = marked.rows[0];
        if (!markedRow) throw new Error(`dead letter ${id} vanished while it was retried`);
        return toDeadLetterRecord(markedRow);
      } catch (failure) {
        await held.rollback();
        throw failure;
      }
    };
    return {
      deadLetter: toDeadLetterRecord(row),
      subscription: { id: row.subscription_id, subscriber: row.subscriber, endpoint: row.endpoint, secret: row.secret },
      markDelivered: (at) => mark('delivered', null, at),
      markFailed: (error, at) => mark('dead', error, at),
      release: () => held.rollback(),
    };
  } catch (error) {
    await held.rollback();
    // 55P03 lock_not_available: another retry of this dead letter holds it.
    if ((error as { code?: string }).code === '55P03') return 'busy';
    throw error;
  }
}

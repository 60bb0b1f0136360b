// The event log in SQL: appending a batch under the one-row counter lock (gap-free seqs,
// idempotent on id), and reading events after a seq, optionally filtered by topic patterns.
import type { EventEnvelope, StoredEvent } from '@azora/contracts';
import { withTransaction, type Pool, type Queryable } from '@azora/service-kit';
import type { AppendedEvent } from '../domain/ports';

export const EVENTS_CHANNEL = 'nexus_events';

export interface EventRow {
  seq: number;
  id: string;
  type: string;
  source: string;
  occurred_at: Date;
  subject: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
  received_at: Date;
  traceparent: string | null;
}

const EVENT_COLUMNS = 'seq, id, type, source, occurred_at, subject, request_id, data, received_at, traceparent';

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    type: row.type,
    source: row.source,
    occurredAt: row.occurred_at.toISOString(),
    ...(row.subject === null ? {} : { subject: row.subject }),
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
    ...(row.traceparent === null ? {} : { traceparent: row.traceparent }),
    data: row.data,
    seq: row.seq,
    receivedAt: row.received_at.toISOString(),
  };
}

// New ids get consecutive seqs after the counter in batch order; the counter moves by as many.
// Runs after the counter row is locked, so every earlier append is committed and visible here.
const APPEND = `
WITH input AS (
  SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::jsonb[], $9::text[])
    WITH ORDINALITY AS i(id, type, source, occurred_at, subject, request_id, data, traceparent, ord)
), fresh AS (
  SELECT DISTINCT ON (i.id) i.* FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = i.id)
  ORDER BY i.id, i.ord
), numbered AS (
  SELECT f.*, $1::bigint + row_number() OVER (ORDER BY f.ord) AS seq FROM fresh f
), inserted AS (
  INSERT INTO events (seq, id, type, source, occurred_at, subject, request_id, data, traceparent)
  SELECT seq, id, type, source, occurred_at, subject, request_id, data, traceparent FROM numbered
), counter AS (
  UPDATE event_counter SET last_seq = $1::bigint + (SELECT count(*) FROM numbered)
)
SELECT i.id, coalesce(n.seq, e.seq) AS seq, coalesce(n.ord = i.ord, false) AS fresh
FROM input i
LEFT JOIN numbered n ON n.id = i.id
LEFT JOIN events e ON e.id = i.id
ORDER BY i.ord`;

/** Appends a validated batch in one transaction; NOTIFYs listeners when anything was new. */
export async function appendEvents(pool: Pool, events: readonly EventEnvelope[]): Promise<AppendedEvent[]> {
  return withTransaction(pool, async (tx) => {
    // The lock that makes the sequence gap-free: appends queue here and commit in seq order.
    const locked = await tx.query<{ last_seq: number }>(
      'UPDATE event_counter SET last_seq = last_seq RETURNING last_seq',
    );
    const lastSeq = locked.rows[0]?.last_seq ?? 0;
    const { rows } = await tx.query<AppendedEvent>(APPEND, [
      lastSeq,
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.source),
      events.map((e) => e.occurredAt),
      events.map((e) => e.subject ?? null),
      events.map((e) => e.requestId ?? null),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => e.traceparent ?? null),
    ]);
    const accepted = rows.filter((r) => r.fresh).length;
    // Delivered on COMMIT, so a woken reader always finds the new rows.
    if (accepted > 0) await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, String(lastSeq + accepted)]);
    return rows;
  });
}

export interface EventFilter {
  /** Events with a seq greater than this. */
  readonly after: number;
  /** Topic patterns (exact, `prefix.*`, `*`); empty for every type. */
  readonly types: readonly string[];
  readonly limit: number;
  /** Events with a seq up to this, when given. */
  readonly upTo?: number;
}

export async function readEvents(db: Queryable, { after, types, limit, upTo }: EventFilter): Promise<StoredEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE seq > $1 AND ($2::bigint IS NULL OR seq <= $2)
       AND (cardinality($3::text[]) = 0 OR type LIKE ANY (ARRAY(SELECT topic_pattern(t) FROM unnest($3::text[]) AS t)))
     ORDER BY seq LIMIT $4`,
    [after, upTo ?? null, types, limit],
  );
  return rows.map(toStoredEvent);
}

/** The highest seq in the log (0 when empty). */
export async function headSeq(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ last_seq: number }>('SELECT last_seq FROM event_counter');
  return rows[0]?.last_seq ?? 0;
}

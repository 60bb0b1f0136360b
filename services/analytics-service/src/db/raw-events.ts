// Raw events in SQL: the batch insert (one statement of unnest arrays, repeats skipped on the
// (ts, id) key) and export pages.
import type { Queryable } from '@azora/service-kit';
import type { EventSource, NewEvent, StoredEvent } from '../domain/ports';

/** An event about to be stored, with the person it counts for. */
export interface RawRow extends NewEvent {
  readonly personId: string | null;
}

export const eventKey = (timestamp: Date, id: string) => `${timestamp.getTime()}|${id}`;

/**
 * Inserts the rows (all of one source, received together); answers the keys of those stored
 * now. Rows go in key order, so concurrent batches that share events (a client retrying while
 * its first try is still in flight) meet them in the same order and cannot deadlock.
 */
export async function insertRawEvents(db: Queryable, rows: readonly RawRow[]): Promise<Set<string>> {
  const first = rows[0];
  if (!first) return new Set();
  const sorted = [...rows].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || (a.id < b.id ? -1 : 1));
  const result = await db.query<{ ts: Date; id: string }>(
    `INSERT INTO events (ts, id, name, source, person_id, user_id, anonymous_id, properties, received_at)
     SELECT ts, id, name, $8, person_id, user_id, anonymous_id, properties, $9
     FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::jsonb[])
       AS e (ts, id, name, person_id, user_id, anonymous_id, properties)
     ON CONFLICT (ts, id) DO NOTHING
     RETURNING ts, id`,
    [
      sorted.map((r) => r.timestamp.toISOString()),
      sorted.map((r) => r.id),
      sorted.map((r) => r.name),
      sorted.map((r) => r.personId),
      sorted.map((r) => r.userId),
      sorted.map((r) => r.anonymousId),
      sorted.map((r) => JSON.stringify(r.properties)),
      first.source,
      first.receivedAt.toISOString(),
    ],
  );
  return new Set(result.rows.map((r) => eventKey(r.ts, r.id)));
}

interface ExportRow {
  ts: Date;
  id: string;
  name: string;
  source: EventSource;
  person_id: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  properties: Record<string, unknown>;
  received_at: Date;
}

/** Up to `limit` events in [from, until) after the key `after`, oldest first; an identified
 * visitor's events with the user as their person. */
export async function exportPage(
  db: Queryable,
  range: { from: Date; until: Date; name: string | null },
  after: { ts: Date; id: string } | null,
  limit: number,
): Promise<StoredEvent[]> {
  const { rows } = await db.query<ExportRow>(
    `SELECT e.ts, e.id, e.name, e.source, coalesce(m.merged_into, e.person_id) AS person_id, e.user_id,
            e.anonymous_id, e.properties, e.received_at
     FROM events e LEFT JOIN persons m ON m.person_id = e.person_id AND m.merged_into IS NOT NULL
     WHERE e.ts >= $1 AND e.ts < $2 AND ($3::text IS NULL OR e.name = $3)
       AND ($4::timestamptz IS NULL OR (e.ts, e.id) > ($4, $5::uuid))
     ORDER BY e.ts, e.id
     LIMIT $6`,
    [after ? after.ts : range.from, range.until, range.name, after?.ts.toISOString() ?? null, after?.id ?? null, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    timestamp: row.ts,
    source: row.source,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    personId: row.person_id,
    properties: row.properties,
    receivedAt: row.received_at,
  }));
}

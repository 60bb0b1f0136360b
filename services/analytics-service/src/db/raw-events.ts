// Raw events in SQL: export pages (ingest.ts stores them).
import type { Queryable } from '@azora/service-kit';
import type { EventSource, ExportRange, StoredEvent } from '../domain/ports';

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
  range: ExportRange,
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

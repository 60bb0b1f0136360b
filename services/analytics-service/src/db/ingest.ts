// Storing a batch in one statement: its raw events (repeats skipped on the (ts, id) key) and one
// roll-up queue row listing those stored now, built by PostgreSQL from what it inserted. A single
// statement needs no BEGIN/COMMIT round trips and is all or nothing. The columns travel as
// arrays, which PostgreSQL parses for less CPU than one JSON document (and CPU is what the
// database shares with everything else). Nothing shared is written, so concurrent batches never
// wait on each other; the roller (rollups.ts) does the roll-ups.
import type { Queryable } from '@azora/service-kit';
import type { NewEvent } from '../domain/ports';
import { provisionalPeople } from '../domain/persons';
import { QUEUE_ROW_OF_STORED } from './rollup-queue';

const INGEST = `
  WITH input AS (
    SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::jsonb[])
      AS e (ts, id, name, person_id, user_id, anonymous_id, properties)
  ), stored AS (
    INSERT INTO events (ts, id, name, source, person_id, user_id, anonymous_id, properties, received_at)
    SELECT ts, id, name, $8, person_id, user_id, anonymous_id, properties, $9 FROM input
    ON CONFLICT (ts, id) DO NOTHING
    RETURNING ts, name, person_id, user_id, anonymous_id
  ), queued AS (
    INSERT INTO rollup_queue (queued_at, events) ${QUEUE_ROW_OF_STORED('$9::timestamptz')}
  )
  SELECT count(*)::int AS stored FROM stored`;

/**
 * Stores the events (all of one source, received together); answers how many were new. They go
 * in key order, so concurrent batches sharing events (a client retrying while its first try is
 * in flight) meet them in the same order and cannot deadlock.
 */
export async function ingestBatch(db: Queryable, events: readonly NewEvent[]): Promise<{ stored: number }> {
  const first = events[0];
  if (!first) return { stored: 0 };
  const personOf = provisionalPeople();
  const sorted = [...events].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || (a.id < b.id ? -1 : 1));
  const column = <T>(pick: (e: NewEvent) => T) => sorted.map(pick);
  const { rows: result } = await db.query<{ stored: number }>(INGEST, [
    column((e) => e.timestamp.toISOString()),
    column((e) => e.id),
    column((e) => e.name),
    column(personOf),
    column((e) => e.userId),
    column((e) => e.anonymousId),
    column((e) => JSON.stringify(e.properties)),
    first.source,
    first.receivedAt,
  ]);
  return { stored: result[0]?.stored ?? 0 };
}

// The roll-up counters in SQL: a roll-up's summed changes added in one statement per table.
import type { Queryable } from '@azora/service-kit';
import type { RollupDeltas } from '../domain/rollup-deltas';

type Column = readonly [name: string, sqlType: string];

/** Adds each row's change to the `count` of its two keys, creating the rows not there yet. */
const addTo = (table: string, [a, aType]: Column, [b, bType]: Column, count: string) =>
  `INSERT INTO ${table} AS c (${a}, ${b}, ${count})
   SELECT * FROM unnest($1::${aType}[], $2::${bType}[], $3::bigint[])
   ON CONFLICT (${a}, ${b}) DO UPDATE SET ${count} = c.${count} + excluded.${count}`;

const ADD_EVENTS = addTo('event_counts', ['name', 'text'], ['hour', 'timestamptz'], 'events');
const ADD_ACTIVE = addTo('active_counts', ['period', 'text'], ['bucket', 'date'], 'users');
const ADD_RETENTION = addTo('retention_counts', ['cohort', 'date'], ['week', 'date'], 'users');

/** One statement for all the rows, sent as one array per column; none when there are no rows. */
async function addRows(db: Queryable, statement: string, rows: ReadonlyArray<readonly [unknown, unknown, number]>) {
  if (rows.length === 0) return;
  await db.query(statement, [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])]);
}

export async function addToCounters(db: Queryable, deltas: RollupDeltas): Promise<void> {
  await addRows(
    db,
    ADD_EVENTS,
    deltas.eventCounts().map((e) => [e.name, e.hour, e.events] as const),
  );
  await addRows(
    db,
    ADD_ACTIVE,
    deltas.activeCounts().map((a) => [a.period, a.bucket, a.users] as const),
  );
  await addRows(
    db,
    ADD_RETENTION,
    deltas.retentionCounts().map((r) => [r.cohort, r.week, r.users] as const),
  );
}

// People in SQL: creating and reading the people of a roll-up, merging an identified visitor
// into the user, moving first-seen times, and the activity rows (person, period, bucket).
// Every function runs inside the roller's transaction.
import type { Queryable } from '@azora/service-kit';
import type { ActivePeriod } from '../domain/ports';
import type { PersonState } from '../domain/people-plan';

/** Creates the people not seen before; answers the ids created. */
export async function createPeople(
  db: Queryable,
  people: ReadonlyArray<{ personId: string; firstSeen: Date }>,
): Promise<Set<string>> {
  if (people.length === 0) return new Set();
  const { rows } = await db.query<{ person_id: string }>(
    `INSERT INTO persons (person_id, first_seen)
     SELECT * FROM unnest($1::uuid[], $2::timestamptz[])
     ON CONFLICT (person_id) DO NOTHING
     RETURNING person_id`,
    [people.map((p) => p.personId), people.map((p) => p.firstSeen.toISOString())],
  );
  return new Set(rows.map((r) => r.person_id));
}

/** The people's state (the roller is the only writer of people, so no row locks are needed). */
export async function loadPeople(db: Queryable, ids: readonly string[]): Promise<Map<string, PersonState>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ person_id: string; first_seen: Date; merged_into: string | null }>(
    `SELECT person_id, first_seen, merged_into FROM persons WHERE person_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.person_id, { firstSeen: r.first_seen, mergedInto: r.merged_into }]));
}

export interface ActivityKey {
  readonly personId: string;
  readonly period: ActivePeriod;
  /** YYYY-MM-DD of the bucket's start. */
  readonly bucket: string;
}

/**
 * Merges each visitor into its user: activity rows the user has too are removed (answered, as
 * they no longer count), the rest move to the user, and the visitor is marked merged.
 */
export async function mergeVisitors(
  db: Queryable,
  merges: ReadonlyArray<{ visitor: string; user: string }>,
  at: Date,
): Promise<Array<{ period: ActivePeriod; bucket: string }>> {
  if (merges.length === 0) return [];
  const visitors = merges.map((m) => m.visitor);
  const users = merges.map((m) => m.user);
  const { rows } = await db.query<{ period: ActivePeriod; bucket: string }>(
    `DELETE FROM active_persons a
     USING unnest($1::uuid[], $2::uuid[]) AS m (visitor, target), active_persons u
     WHERE a.person_id = m.visitor AND u.person_id = m.target AND u.period = a.period AND u.bucket = a.bucket
     RETURNING a.period, a.bucket::text AS bucket`,
    [visitors, users],
  );
  await db.query(
    `UPDATE active_persons a SET person_id = m.target
     FROM unnest($1::uuid[], $2::uuid[]) AS m (visitor, target) WHERE a.person_id = m.visitor`,
    [visitors, users],
  );
  await db.query(
    `UPDATE persons p SET merged_into = m.target, merged_at = $3
     FROM unnest($1::uuid[], $2::uuid[]) AS m (visitor, target) WHERE p.person_id = m.visitor`,
    [visitors, users, at],
  );
  return rows;
}

export async function setFirstSeen(
  db: Queryable,
  changes: ReadonlyArray<{ personId: string; firstSeen: Date }>,
): Promise<void> {
  if (changes.length === 0) return;
  await db.query(
    `UPDATE persons p SET first_seen = c.first_seen
     FROM unnest($1::uuid[], $2::timestamptz[]) AS c (person_id, first_seen) WHERE p.person_id = c.person_id`,
    [changes.map((c) => c.personId), changes.map((c) => c.firstSeen.toISOString())],
  );
}

/** Records activity; answers the rows that are new (a person's first event in that bucket). */
export async function recordActivity(db: Queryable, keys: readonly ActivityKey[]): Promise<ActivityKey[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query<{ person_id: string; period: ActivePeriod; bucket: string }>(
    `INSERT INTO active_persons (person_id, period, bucket)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[])
     ON CONFLICT DO NOTHING
     RETURNING person_id, period, bucket::text AS bucket`,
    [keys.map((k) => k.personId), keys.map((k) => k.period), keys.map((k) => k.bucket)],
  );
  return rows.map((r) => ({ personId: r.person_id, period: r.period, bucket: r.bucket }));
}

/** What the people count for in retention now: (their cohort, a week they were active) pairs. */
export async function retentionContributions(
  db: Queryable,
  people: readonly string[],
): Promise<Array<{ cohort: string; week: string; users: number }>> {
  if (people.length === 0) return [];
  const { rows } = await db.query<{ cohort: string; week: string; users: number }>(
    `SELECT date_trunc('week', p.first_seen AT TIME ZONE 'UTC')::date::text AS cohort, a.bucket::text AS week,
            count(*)::int AS users
     FROM persons p JOIN active_persons a ON a.person_id = p.person_id AND a.period = 'week'
     WHERE p.person_id = ANY($1::uuid[]) AND p.merged_into IS NULL
     GROUP BY 1, 2`,
    [people],
  );
  return rows;
}

// Courses in SQL: rows in and out, the row locks that order changes to one course against
// each other and against completions, the catalogue's two keyset orderings (newest, or
// full-text rank), reward eligibility and the instructor's counts.
import type { Queryable } from '@azora/service-kit';
import type { CataloguePosition } from '../domain/cursors';
import type { CourseRecord, CourseStatsRecord } from '../domain/records';

interface CourseRow {
  id: string;
  instructor_id: string;
  title: string;
  description: string;
  price_cents: number;
  currency: string;
  skills: string[];
  status: 'draft' | 'published';
  lesson_count: number;
  reward_eligible: boolean;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

const COURSE_COLUMNS = `c.id, c.instructor_id, c.title, c.description, c.price_cents, c.currency, c.skills, c.status,
  c.reward_eligible, c.created_at, c.updated_at, c.published_at, (SELECT count(*) FROM lessons l WHERE l.course_id = c.id)::int AS lesson_count`;

/** A timestamp as exact text (microseconds, UTC): what a cursor carries. */
export const exactTimestamp = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function toCourseRecord(row: CourseRow): CourseRecord {
  return {
    id: row.id,
    instructorId: row.instructor_id,
    title: row.title,
    description: row.description,
    priceCents: row.price_cents,
    currency: row.currency,
    skills: row.skills,
    status: row.status,
    lessonCount: row.lesson_count,
    rewardEligible: row.reward_eligible,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

export interface NewCourse {
  id: string;
  instructorId: string;
  title: string;
  description: string;
  priceCents: number;
  currency: string;
  skills: string[];
  now: Date;
}

export async function insertCourse(db: Queryable, course: NewCourse): Promise<void> {
  await db.query(
    `INSERT INTO courses (id, instructor_id, title, description, price_cents, currency, skills, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [
      course.id,
      course.instructorId,
      course.title,
      course.description,
      course.priceCents,
      course.currency,
      course.skills,
      course.now,
    ],
  );
}

/**
 * How a read holds the course's row until the transaction ends: `update` to change it (changes
 * queue one behind another), `share` to act on what it says now (changes wait for the reader,
 * and the reader for a change in progress, but readers never wait for each other).
 */
export type CourseLock = 'update' | 'share';

const LOCK_CLAUSES: Record<CourseLock, string> = { update: ' FOR UPDATE OF c', share: ' FOR SHARE OF c' };

export async function findCourse(
  db: Queryable,
  id: string,
  { lock }: { lock?: CourseLock } = {},
): Promise<CourseRecord | null> {
  const { rows } = await db.query<CourseRow>(
    `SELECT ${COURSE_COLUMNS} FROM courses c WHERE c.id = $1${lock ? LOCK_CLAUSES[lock] : ''}`,
    [id],
  );
  return rows[0] ? toCourseRecord(rows[0]) : null;
}

export interface CourseChanges {
  title?: string | undefined;
  description?: string | undefined;
  priceCents?: number | undefined;
  currency?: string | undefined;
  skills?: string[] | undefined;
}

/** Applies the given fields (absent ones keep their value) and stamps updated_at. */
export async function updateCourse(db: Queryable, id: string, changes: CourseChanges, now: Date): Promise<void> {
  await db.query(
    `UPDATE courses SET title = COALESCE($2, title), description = COALESCE($3, description),
       price_cents = COALESCE($4, price_cents), currency = COALESCE($5, currency), skills = COALESCE($6::text[], skills),
       updated_at = $7
     WHERE id = $1`,
    [
      id,
      changes.title ?? null,
      changes.description ?? null,
      changes.priceCents ?? null,
      changes.currency ?? null,
      changes.skills ?? null,
      now,
    ],
  );
}

export async function markPublished(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query(`UPDATE courses SET status = 'published', published_at = $2, updated_at = $2 WHERE id = $1`, [
    id,
    now,
  ]);
}

export async function setRewardEligible(db: Queryable, id: string, eligible: boolean, now: Date): Promise<void> {
  await db.query(`UPDATE courses SET reward_eligible = $2, updated_at = $3 WHERE id = $1`, [id, eligible, now]);
}

export interface CatalogueFilter {
  q?: string | undefined;
  skill?: string | undefined;
  after?: CataloguePosition | undefined;
  limit: number;
}

export interface CatalogueEntry {
  course: CourseRecord;
  position: CataloguePosition;
}

type CatalogueRow = CourseRow & { cursor_at: string; rank_text?: string };

/** Published courses, newest first; with `q`, matching courses by rank (then newest). */
export async function listCatalogue(db: Queryable, filter: CatalogueFilter): Promise<CatalogueEntry[]> {
  if (filter.q !== undefined) return listRanked(db, filter.q, filter);
  const after = filter.after?.kind === 'recent' ? filter.after : undefined;
  const { rows } = await db.query<CatalogueRow>(
    `SELECT ${COURSE_COLUMNS}, ${exactTimestamp('c.published_at')} AS cursor_at
     FROM courses c
     WHERE c.status = 'published'
       AND ($1::text IS NULL OR c.skills @> ARRAY[$1::text])
       AND ($2::timestamptz IS NULL OR (c.published_at, c.id) < ($2::timestamptz, $3::uuid))
     ORDER BY c.published_at DESC, c.id DESC
     LIMIT $4`,
    [filter.skill ?? null, after?.publishedAt ?? null, after?.id ?? null, filter.limit],
  );
  return rows.map((row) => ({
    course: toCourseRecord(row),
    position: { kind: 'recent', publishedAt: row.cursor_at, id: row.id },
  }));
}

async function listRanked(db: Queryable, q: string, filter: CatalogueFilter): Promise<CatalogueEntry[]> {
  const after = filter.after?.kind === 'ranked' ? filter.after : undefined;
  // websearch_to_tsquery accepts anything a person types (quotes, "or", -not) without erroring.
  const { rows } = await db.query<CatalogueRow & { rank_text: string }>(
    `SELECT ranked.*, ranked.rank::text AS rank_text FROM (
       SELECT ${COURSE_COLUMNS}, ${exactTimestamp('c.published_at')} AS cursor_at, ts_rank(c.search, query) AS rank
       FROM courses c, websearch_to_tsquery('english', $1) AS query
       WHERE c.status = 'published' AND c.search @@ query
         AND ($2::text IS NULL OR c.skills @> ARRAY[$2::text])
     ) ranked
     WHERE $3::real IS NULL OR (ranked.rank, ranked.published_at, ranked.id) < ($3::real, $4::timestamptz, $5::uuid)
     ORDER BY ranked.rank DESC, ranked.published_at DESC, ranked.id DESC
     LIMIT $6`,
    [q, filter.skill ?? null, after?.rank ?? null, after?.publishedAt ?? null, after?.id ?? null, filter.limit],
  );
  return rows.map((row) => ({
    course: toCourseRecord(row),
    position: { kind: 'ranked', rank: row.rank_text, publishedAt: row.cursor_at, id: row.id },
  }));
}

export async function readCourseStats(db: Queryable, courseId: string): Promise<CourseStatsRecord> {
  const { rows } = await db.query<CourseStatsRecord>(
    `SELECT count(*) FILTER (WHERE status = 'active')::int AS enrollments,
            count(*) FILTER (WHERE status = 'active' AND completed_at IS NOT NULL)::int AS completions,
            count(*) FILTER (WHERE status = 'revoked')::int AS revoked
     FROM enrollments WHERE course_id = $1`,
    [courseId],
  );
  return rows[0] ?? { enrollments: 0, completions: 0, revoked: 0 };
}

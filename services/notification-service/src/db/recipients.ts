// Recipients and course titles in SQL: who a notification goes to (address and name from
// identity.user.registered), the per-user notification counter, and the titles of courses.
import type { Queryable } from '@azora/service-kit';
import type { RecipientRecord } from '../domain/records';

interface RecipientRow {
  user_id: string;
  email: string | null;
  name: string | null;
  last_seq: number;
}

const toRecipient = (row: RecipientRow): RecipientRecord => ({
  userId: row.user_id,
  email: row.email,
  name: row.name,
  lastSeq: row.last_seq,
});

/** Records (or refreshes) a registered user's address, name and role. */
export async function upsertRecipient(
  db: Queryable,
  r: { userId: string; email: string; name: string; role: string; now: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO recipients (user_id, email, name, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, role = EXCLUDED.role,
       updated_at = EXCLUDED.updated_at`,
    [r.userId, r.email, r.name, r.role, r.now],
  );
}

export async function findRecipient(db: Queryable, userId: string): Promise<RecipientRecord | null> {
  const { rows } = await db.query<RecipientRow>(
    `SELECT user_id, email, name, last_seq FROM recipients WHERE user_id = $1`,
    [userId],
  );
  return rows[0] ? toRecipient(rows[0]) : null;
}

/**
 * The next number of the user's notifications, creating the recipient when this service has not
 * heard of them yet. The row lock it takes is held until the transaction ends, so one user's
 * numbers are given out, and become visible, in order.
 */
export async function takeNextSeq(db: Queryable, userId: string, now: Date): Promise<RecipientRecord> {
  const { rows } = await db.query<RecipientRow>(
    `INSERT INTO recipients (user_id, last_seq, created_at, updated_at) VALUES ($1, 1, $2, $2)
     ON CONFLICT (user_id) DO UPDATE SET last_seq = recipients.last_seq + 1
     RETURNING user_id, email, name, last_seq`,
    [userId, now],
  );
  return toRecipient(rows[0] as RecipientRow);
}

/** The latest notification number of each user given (0 for users without any). */
export async function lastSeqs(db: Queryable, userIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ user_id: string; last_seq: number }>(
    `SELECT user_id, last_seq FROM recipients WHERE user_id = ANY($1::uuid[])`,
    [userIds],
  );
  return new Map(rows.map((r) => [r.user_id, r.last_seq]));
}

export async function nameOf(db: Queryable, userId: string): Promise<string | null> {
  const { rows } = await db.query<{ name: string | null }>(`SELECT name FROM recipients WHERE user_id = $1`, [userId]);
  return rows[0]?.name ?? null;
}

export async function saveCourseTitle(db: Queryable, courseId: string, title: string): Promise<void> {
  await db.query(
    `INSERT INTO courses (course_id, title) VALUES ($1, $2) ON CONFLICT (course_id) DO UPDATE SET title = EXCLUDED.title`,
    [courseId, title],
  );
}

export async function courseTitle(db: Queryable, courseId: string | undefined): Promise<string | null> {
  if (!courseId) return null;
  const { rows } = await db.query<{ title: string }>(`SELECT title FROM courses WHERE course_id = $1`, [courseId]);
  return rows[0]?.title ?? null;
}

// Notifications in SQL: created once per event and user, listed unread first, read and unread
// again, and read in seq order by the stream.
import type { NotificationKind } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { InboxPosition } from '../domain/cursors';
import type { NoticeData } from '../domain/notices';
import type { NotificationRecord } from '../domain/records';

interface NotificationRow {
  id: string;
  user_id: string;
  seq: number;
  kind: NotificationKind;
  title: string;
  body: string;
  data: NoticeData;
  in_app: boolean;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = 'n.id, n.user_id, n.seq, n.kind, n.title, n.body, n.data, n.in_app, n.created_at, n.read_at';

const toRecord = (row: NotificationRow): NotificationRecord => ({
  id: row.id,
  userId: row.user_id,
  seq: row.seq,
  kind: row.kind,
  title: row.title,
  body: row.body,
  data: row.data,
  inApp: row.in_app,
  createdAt: row.created_at,
  readAt: row.read_at,
});

export interface NewNotification {
  id: string;
  userId: string;
  seq: number;
  kind: NotificationKind;
  eventId: string;
  title: string;
  body: string;
  data: NoticeData;
  inApp: boolean;
  now: Date;
}

/** Inserts the notification; null when this event already made one for this user. */
export async function insertNotification(db: Queryable, n: NewNotification): Promise<NotificationRecord | null> {
  const { rows } = await db.query<NotificationRow>(
    `INSERT INTO notifications AS n (id, user_id, seq, kind, event_id, title, body, data, in_app, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT ON CONSTRAINT notifications_event_user DO NOTHING
     RETURNING ${COLUMNS}`,
    [n.id, n.userId, n.seq, n.kind, n.eventId, n.title, n.body, JSON.stringify(n.data), n.inApp, n.now],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** One page of the inbox: unread first, newest first within each group. */
export async function listInbox(
  db: Queryable,
  userId: string,
  page: { after?: InboxPosition | undefined; unreadOnly: boolean; limit: number },
): Promise<NotificationRecord[]> {
  const { rows } = await db.query<NotificationRow>(
    `SELECT ${COLUMNS} FROM notifications n
     WHERE n.user_id = $1 AND n.in_app
       AND (NOT $2::boolean OR n.read_at IS NULL)
       AND ($3::int IS NULL OR ((n.read_at IS NOT NULL)::int, -n.seq) > ($3::int, -$4::bigint))
     ORDER BY (n.read_at IS NOT NULL), n.seq DESC
     LIMIT $5`,
    [userId, page.unreadOnly, page.after?.read ?? null, page.after?.seq ?? null, page.limit],
  );
  return rows.map(toRecord);
}

export async function countUnread(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query<{ unread: number }>(
    `SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND in_app AND read_at IS NULL`,
    [userId],
  );
  return rows[0]?.unread ?? 0;
}

/** Sets (or clears) read_at of the user's own in-app notification; null when there is none. */
export async function setRead(
  db: Queryable,
  userId: string,
  id: string,
  readAt: Date | null,
): Promise<NotificationRecord | null> {
  const { rows } = await db.query<NotificationRow>(
    `UPDATE notifications n SET read_at = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE coalesce(n.read_at, $3) END
     WHERE n.id = $1 AND n.user_id = $2 AND n.in_app
     RETURNING ${COLUMNS}`,
    [id, userId, readAt],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function markAllRead(db: Queryable, userId: string, now: Date): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND in_app AND read_at IS NULL`,
    [userId, now],
  );
  return rowCount ?? 0;
}

/** The user's in-app notifications after `afterSeq`, in seq order. */
export async function listAfter(
  db: Queryable,
  userId: string,
  afterSeq: number,
  limit: number,
): Promise<NotificationRecord[]> {
  const { rows } = await db.query<NotificationRow>(
    `SELECT ${COLUMNS} FROM notifications n WHERE n.user_id = $1 AND n.in_app AND n.seq > $2 ORDER BY n.seq LIMIT $3`,
    [userId, afterSeq, limit],
  );
  return rows.map(toRecord);
}

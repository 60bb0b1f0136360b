// Conversations in SQL. Every read names the owner: another user's conversation is simply not
// found. A conversation's row lock orders the messages sent to it.
import type { PersonaId } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { ConversationRecord } from '../domain/records';

interface ConversationRow {
  id: string;
  user_id: string;
  persona_id: PersonaId | null;
  title: string;
  message_count: number;
  created_at: Date;
  updated_at: Date;
  cursor_at?: string;
}

const COLUMNS = 'id, user_id, persona_id, title, message_count, created_at, updated_at';

function toRecord(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    userId: row.user_id,
    personaId: row.persona_id,
    title: row.title,
    messageCount: row.message_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertConversation(
  db: Queryable,
  c: { id: string; userId: string; personaId: PersonaId | null; title: string; now: Date },
): Promise<ConversationRecord> {
  const { rows } = await db.query<ConversationRow>(
    `INSERT INTO conversations (id, user_id, persona_id, title, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${COLUMNS}`,
    [c.id, c.userId, c.personaId, c.title, c.now],
  );
  return toRecord(rows[0]!);
}

/** The user's conversation; null when it does not exist or is someone else's. */
export async function findConversation(
  db: Queryable,
  id: string,
  userId: string,
  { lock = false } = {},
): Promise<ConversationRecord | null> {
  const { rows } = await db.query<ConversationRow>(
    `SELECT ${COLUMNS} FROM conversations WHERE id = $1 AND user_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [id, userId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export interface ConversationPosition {
  updatedAt: string;
  id: string;
}

/** The user's conversations, most recently active first. */
export async function listConversations(
  db: Queryable,
  userId: string,
  page: { after?: ConversationPosition | undefined; limit: number },
): Promise<Array<{ conversation: ConversationRecord; position: ConversationPosition }>> {
  const { rows } = await db.query<ConversationRow & { cursor_at: string }>(
    `SELECT ${COLUMNS}, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
     FROM conversations
     WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (updated_at, id) < ($2::timestamptz, $3::uuid))
     ORDER BY updated_at DESC, id DESC
     LIMIT $4`,
    [userId, page.after?.updatedAt ?? null, page.after?.id ?? null, page.limit],
  );
  return rows.map((row) => ({ conversation: toRecord(row), position: { updatedAt: row.cursor_at, id: row.id } }));
}

/** Counts new messages and stamps the activity; the title is set from the first message. */
export async function recordActivity(
  db: Queryable,
  id: string,
  { added, now, title }: { added: number; now: Date; title?: string | undefined },
): Promise<void> {
  await db.query(
    `UPDATE conversations SET message_count = message_count + $2, updated_at = $3, title = COALESCE($4, title) WHERE id = $1`,
    [id, added, now, title ?? null],
  );
}

export async function deleteConversation(db: Queryable, id: string): Promise<void> {
  await db.query(`DELETE FROM conversations WHERE id = $1`, [id]);
}

/** Locks the conversation a message belongs to (ending a reply takes it first, as every writer does). */
export async function lockConversationOf(db: Queryable, messageId: string): Promise<void> {
  await db.query(
    `SELECT 1 FROM conversations WHERE id = (SELECT conversation_id FROM messages WHERE id = $1) FOR UPDATE`,
    [messageId],
  );
}

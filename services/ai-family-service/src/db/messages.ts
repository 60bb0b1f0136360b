// Messages in SQL: the learner's question, a reply inserted as 'streaming', reads of one message
// (only through its owner's conversation) and of a conversation's messages in order. How a
// reply in progress grows and ends is in replies.ts.
import type { AiProviderName, Citation, MessageRole, MessageStatus, PersonaId, Routing } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { MessageRecord } from '../domain/records';

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  role: MessageRole;
  content: string;
  chunk_ends: number[];
  status: MessageStatus;
  persona_id: PersonaId | null;
  routing: Routing | null;
  consulted: PersonaId[];
  provider: AiProviderName | null;
  model: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  citations: Citation[];
  error_code: string | null;
  reserved_tokens: number;
  budget_day: string | null;
  cancel_requested: boolean;
  heartbeat_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
}

export const MESSAGE_COLUMNS = `m.id, m.conversation_id, m.seq, m.role, m.content, m.chunk_ends, m.status, m.persona_id, m.routing,
  m.consulted, m.provider, m.model, m.prompt_tokens, m.completion_tokens, m.citations, m.error_code, m.reserved_tokens,
  to_char(m.budget_day, 'YYYY-MM-DD') AS budget_day, m.cancel_requested, m.heartbeat_at, m.created_at, m.completed_at`;

export function toMessageRecord(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    role: row.role,
    content: row.content,
    chunkEnds: row.chunk_ends,
    status: row.status,
    personaId: row.persona_id,
    routing: row.routing,
    consulted: row.consulted,
    provider: row.provider,
    model: row.model,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    citations: row.citations,
    errorCode: row.error_code,
    reservedTokens: row.reserved_tokens,
    budgetDay: row.budget_day,
    cancelRequested: row.cancel_requested,
    heartbeatAt: row.heartbeat_at,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

export async function insertUserMessage(
  db: Queryable,
  m: { id: string; conversationId: string; content: string; now: Date },
): Promise<MessageRecord> {
  const { rows } = await db.query<MessageRow>(
    `INSERT INTO messages AS m (id, conversation_id, role, content, status, created_at, completed_at)
     VALUES ($1, $2, 'user', $3, 'complete', $4, $4) RETURNING ${MESSAGE_COLUMNS}`,
    [m.id, m.conversationId, m.content, m.now],
  );
  return toMessageRecord(rows[0]!);
}

export interface NewReply {
  id: string;
  conversationId: string;
  personaId: PersonaId;
  routing: Routing;
  consulted: PersonaId[];
  provider: AiProviderName;
  model: string;
  citations: Citation[];
  reservedTokens: number;
  budgetDay: string;
  now: Date;
}

export async function insertReply(db: Queryable, r: NewReply): Promise<MessageRecord> {
  const { rows } = await db.query<MessageRow>(
    `INSERT INTO messages AS m (id, conversation_id, role, status, persona_id, routing, consulted, provider, model, citations,
       reserved_tokens, budget_day, heartbeat_at, created_at)
     VALUES ($1, $2, 'assistant', 'streaming', $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${MESSAGE_COLUMNS}`,
    [
      r.id,
      r.conversationId,
      r.personaId,
      JSON.stringify(r.routing),
      r.consulted,
      r.provider,
      r.model,
      JSON.stringify(r.citations),
      r.reservedTokens,
      r.budgetDay,
      r.now,
    ],
  );
  return toMessageRecord(rows[0]!);
}

/** A message of a conversation of `userId`; null when either is not theirs or does not exist. */
export async function findMessage(
  db: Queryable,
  userId: string,
  conversationId: string,
  messageId: string,
): Promise<MessageRecord | null> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.id = $1 AND m.conversation_id = $2 AND c.user_id = $3`,
    [messageId, conversationId, userId],
  );
  return rows[0] ? toMessageRecord(rows[0]) : null;
}

export async function findMessageById(db: Queryable, messageId: string): Promise<MessageRecord | null> {
  const { rows } = await db.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = $1`, [messageId]);
  return rows[0] ? toMessageRecord(rows[0]) : null;
}

/** A conversation's messages in order, after seq `after`. */
export async function listMessages(
  db: Queryable,
  conversationId: string,
  page: { afterSeq?: number | undefined; limit: number },
): Promise<MessageRecord[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3`,
    [conversationId, page.afterSeq ?? 0, page.limit],
  );
  return rows.map(toMessageRecord);
}

/** The latest messages with content, newest first: the history a prompt may include. */
export async function recentMessages(
  db: Queryable,
  conversationId: string,
  limit: number,
): Promise<Array<{ role: MessageRole; content: string }>> {
  const { rows } = await db.query<{ role: MessageRole; content: string }>(
    `SELECT role, content FROM messages
     WHERE conversation_id = $1 AND status IN ('complete', 'cancelled') AND content <> ''
     ORDER BY seq DESC LIMIT $2`,
    [conversationId, limit],
  );
  return rows;
}

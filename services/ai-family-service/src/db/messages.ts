// Messages in SQL. A reply is inserted as 'streaming' and grows in batches (content appended,
// chunk ends recorded, heartbeat stamped) until it is finished exactly once: every update of a
// reply in progress is guarded by `status = 'streaming'`, so a reply that was cancelled, swept
// or deleted meanwhile is never written again.
import type { AiProviderName, Citation, MessageRole, MessageStatus, PersonaId, Routing } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { MessageRecord } from '../domain/records';

interface MessageRow {
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

const COLUMNS = `m.id, m.conversation_id, m.seq, m.role, m.content, m.chunk_ends, m.status, m.persona_id, m.routing,
  m.consulted, m.provider, m.model, m.prompt_tokens, m.completion_tokens, m.citations, m.error_code, m.reserved_tokens,
  to_char(m.budget_day, 'YYYY-MM-DD') AS budget_day, m.cancel_requested, m.heartbeat_at, m.created_at, m.completed_at`;

function toRecord(row: MessageRow): MessageRecord {
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
     VALUES ($1, $2, 'user', $3, 'complete', $4, $4) RETURNING ${COLUMNS}`,
    [m.id, m.conversationId, m.content, m.now],
  );
  return toRecord(rows[0]!);
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
     VALUES ($1, $2, 'assistant', 'streaming', $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${COLUMNS}`,
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
  return toRecord(rows[0]!);
}

/** A message of a conversation of `userId`; null when either is not theirs or does not exist. */
export async function findMessage(
  db: Queryable,
  userId: string,
  conversationId: string,
  messageId: string,
): Promise<MessageRecord | null> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${COLUMNS} FROM messages m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.id = $1 AND m.conversation_id = $2 AND c.user_id = $3`,
    [messageId, conversationId, userId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findMessageById(db: Queryable, messageId: string): Promise<MessageRecord | null> {
  const { rows } = await db.query<MessageRow>(`SELECT ${COLUMNS} FROM messages m WHERE m.id = $1`, [messageId]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findStreamingReply(db: Queryable, conversationId: string): Promise<MessageRecord | null> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${COLUMNS} FROM messages m WHERE m.conversation_id = $1 AND m.status = 'streaming'`,
    [conversationId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** A conversation's messages in order, after seq `after`. */
export async function listMessages(
  db: Queryable,
  conversationId: string,
  page: { afterSeq?: number | undefined; limit: number },
): Promise<MessageRecord[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${COLUMNS} FROM messages m WHERE m.conversation_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3`,
    [conversationId, page.afterSeq ?? 0, page.limit],
  );
  return rows.map(toRecord);
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

/**
 * Appends a batch of a reply in progress and stamps its heartbeat. Null when the reply is no
 * longer streaming (cancelled elsewhere, swept, deleted); else whether a cancel was requested.
 */
export async function appendToReply(
  db: Queryable,
  id: string,
  batch: { text: string; ends: number[]; now: Date },
): Promise<{ cancelRequested: boolean } | null> {
  const { rows } = await db.query<{ cancel_requested: boolean }>(
    `UPDATE messages SET content = content || $2, chunk_ends = chunk_ends || $3::int[], heartbeat_at = $4
     WHERE id = $1 AND status = 'streaming' RETURNING cancel_requested`,
    [id, batch.text, batch.ends, batch.now],
  );
  return rows[0] ? { cancelRequested: rows[0].cancel_requested } : null;
}

export interface ReplyOutcome {
  status: Exclude<MessageStatus, 'streaming'>;
  content: string;
  chunkEnds: number[];
  promptTokens: number | null;
  completionTokens: number | null;
  errorCode: string | null;
  now: Date;
}

/**
 * Ends a reply in progress, once. Returns the finished reply (its reservation still on it, to
 * settle) with its owner, or null when it had already ended (or was deleted).
 */
export async function finishReply(
  db: Queryable,
  id: string,
  outcome: ReplyOutcome,
): Promise<{ reply: MessageRecord; userId: string } | null> {
  const { rows } = await db.query<MessageRow & { user_id: string }>(
    `WITH ended AS (
       UPDATE messages SET status = $2, content = $3, chunk_ends = $4::int[], prompt_tokens = $5, completion_tokens = $6,
         error_code = $7, completed_at = $8
       WHERE id = $1 AND status = 'streaming'
       RETURNING *
     )
     SELECT ${COLUMNS}, c.user_id FROM ended m JOIN conversations c ON c.id = m.conversation_id`,
    [
      id,
      outcome.status,
      outcome.content,
      outcome.chunkEnds,
      outcome.promptTokens,
      outcome.completionTokens,
      outcome.errorCode,
      outcome.now,
    ],
  );
  const row = rows[0];
  if (!row) return null;
  return { reply: toRecord(row), userId: row.user_id };
}

/** Asks whichever process writes the reply to stop it; false when it is not in progress. */
export async function requestCancel(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE messages SET cancel_requested = true WHERE id = $1 AND status = 'streaming'`,
    [id],
  );
  return (rowCount ?? 0) > 0;
}

/** Replies still 'streaming' whose heartbeat stopped before `before`: their process died. */
export async function staleReplies(db: Queryable, before: Date, limit: number): Promise<MessageRecord[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${COLUMNS} FROM messages m WHERE m.status = 'streaming' AND m.heartbeat_at < $1 ORDER BY m.heartbeat_at LIMIT $2`,
    [before, limit],
  );
  return rows.map(toRecord);
}

/** The replies in progress of a conversation, locked (deleting it settles them first). */
export async function streamingRepliesOf(db: Queryable, conversationId: string): Promise<MessageRecord[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${COLUMNS} FROM messages m WHERE m.conversation_id = $1 AND m.status = 'streaming' FOR UPDATE`,
    [conversationId],
  );
  return rows.map(toRecord);
}

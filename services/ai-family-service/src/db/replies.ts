// A reply in progress in SQL. It grows in batches (content appended, chunk ends recorded,
// heartbeat stamped) until it is finished exactly once: every update of a reply in progress is
// guarded by `status = 'streaming'`, so a reply that was cancelled, swept or deleted meanwhile is
// never written again.
import type { MessageStatus } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { MessageRecord } from '../domain/records';
import { MESSAGE_COLUMNS, toMessageRecord, type MessageRow } from './messages';

export async function findStreamingReply(db: Queryable, conversationId: string): Promise<MessageRecord | null> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = $1 AND m.status = 'streaming'`,
    [conversationId],
  );
  return rows[0] ? toMessageRecord(rows[0]) : null;
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
     SELECT ${MESSAGE_COLUMNS}, c.user_id FROM ended m JOIN conversations c ON c.id = m.conversation_id`,
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
  return { reply: toMessageRecord(row), userId: row.user_id };
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
    `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.status = 'streaming' AND m.heartbeat_at < $1 ORDER BY m.heartbeat_at LIMIT $2`,
    [before, limit],
  );
  return rows.map(toMessageRecord);
}

/** The replies in progress of a conversation, locked (deleting it settles them first). */
export async function streamingRepliesOf(db: Queryable, conversationId: string): Promise<MessageRecord[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = $1 AND m.status = 'streaming' FOR UPDATE`,
    [conversationId],
  );
  return rows.map(toMessageRecord);
}

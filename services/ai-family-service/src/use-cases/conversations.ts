// Conversations: start one (with a persona, or routed message by message), list them, read their
// messages, and delete one (a reply still being written is cancelled and settled first). Only
// the owner ever sees a conversation: anyone else gets 404.
import { randomUUID } from 'node:crypto';
import {
  decodeCursor,
  encodeCursor,
  keysetPage,
  type Conversation,
  type ConversationListQuery,
  type CreateConversationRequest,
  type MessageListQuery,
  type MessagePage,
} from '@azora/contracts';
import { withTransaction } from '@azora/service-kit';
import type { z } from 'zod';
import {
  deleteConversation as deleteConversationRow,
  findConversation,
  insertConversation,
  listConversations,
  type ConversationPosition,
} from '../db/conversations';
import { listMessages } from '../db/messages';
import { streamingRepliesOf } from '../db/replies';
import { settledUsage } from '../domain/budget';
import { conversationNotFound, invalidCursor } from '../domain/errors';
import { toConversation, toMessage } from '../domain/views';
import type { AiContext, Caller } from './context';
import { endReply } from './end-reply';

export const DEFAULT_TITLE = 'New conversation';

/** A conversation's title from its first message: its first line, at most 60 characters. */
export function titleFrom(content: string): string {
  const line = content.split('\n')[0]!.trim();
  return line.length <= 60 ? line : `${line.slice(0, 59).trimEnd()}…`;
}

export async function createConversation(
  ctx: AiContext,
  caller: Caller,
  body: z.output<typeof CreateConversationRequest>,
): Promise<Conversation> {
  const conversation = await insertConversation(ctx.pool, {
    id: randomUUID(),
    userId: caller.user.id,
    personaId: body.personaId ?? null,
    title: body.title ?? DEFAULT_TITLE,
    now: ctx.clock.now(),
  });
  return toConversation(conversation);
}

export async function getConversation(ctx: AiContext, caller: Caller, id: string): Promise<Conversation> {
  const conversation = await findConversation(ctx.pool, id, caller.user.id);
  if (!conversation) throw conversationNotFound(id);
  return toConversation(conversation);
}

function decodeConversationCursor(cursor: string): ConversationPosition {
  const parts = decodeCursor(cursor);
  const [tag, updatedAt, id] = parts ?? [];
  if (tag === 'c' && typeof updatedAt === 'string' && typeof id === 'string' && parts?.length === 3) {
    if (!Number.isNaN(Date.parse(updatedAt)) && /^[0-9a-f-]{36}$/i.test(id)) return { updatedAt, id };
  }
  throw invalidCursor();
}

export async function conversationsOf(ctx: AiContext, caller: Caller, query: z.output<typeof ConversationListQuery>) {
  const after = query.cursor === undefined ? undefined : decodeConversationCursor(query.cursor);
  const rows = await listConversations(ctx.pool, caller.user.id, { after, limit: query.limit + 1 });
  return keysetPage(
    rows,
    query.limit,
    (r) => toConversation(r.conversation),
    (last) => encodeCursor(['c', last.position.updatedAt, last.position.id]),
  );
}

export async function messagesOf(
  ctx: AiContext,
  caller: Caller,
  conversationId: string,
  query: z.output<typeof MessageListQuery>,
): Promise<MessagePage> {
  const conversation = await findConversation(ctx.pool, conversationId, caller.user.id);
  if (!conversation) throw conversationNotFound(conversationId);
  let afterSeq: number | undefined;
  if (query.cursor !== undefined) {
    const parts = decodeCursor(query.cursor);
    if (parts?.[0] !== 'm' || typeof parts[1] !== 'number' || parts.length !== 2) throw invalidCursor();
    afterSeq = parts[1];
  }
  const rows = await listMessages(ctx.pool, conversationId, { afterSeq, limit: query.limit + 1 });
  return keysetPage(rows, query.limit, toMessage, (last) => encodeCursor(['m', last.seq]));
}

export async function deleteConversation(ctx: AiContext, caller: Caller, id: string): Promise<void> {
  const stopped = await withTransaction(ctx.pool, async (tx) => {
    const conversation = await findConversation(tx, id, caller.user.id, { lock: true });
    if (!conversation) throw conversationNotFound(id);
    const running = await streamingRepliesOf(tx, id);
    for (const reply of running) {
      // What was written so far is charged, as a cancel would; the reservation is released.
      const usage = reply.content === '' ? null : settledUsage(null, 0, reply.content);
      await endReply(
        ctx,
        tx,
        reply.id,
        { status: 'cancelled', content: reply.content, chunkEnds: reply.chunkEnds, usage, errorCode: null },
        { requestId: caller.requestId },
      );
    }
    await deleteConversationRow(tx, id);
    return running.map((r) => r.id);
  });
  for (const replyId of stopped) ctx.replies.get(replyId)?.abort('gone');
}

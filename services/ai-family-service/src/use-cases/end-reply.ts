// Ending a reply, exactly once, in the caller's transaction: the reply row gets its final text,
// status and usage; the day's reservation is released and what the reply cost is counted; and
// `ai.conversation.message` is published for a reply that cost tokens (complete or cancelled).
// The guard is the row's `status = 'streaming'`: whoever ends it second finds nothing to end.
import type { MessageStatus } from '@azora/contracts';
import type { Tx } from '@azora/service-kit';
import { settleTokens } from '../db/budgets';
import { lockConversationOf, recordActivity } from '../db/conversations';
import { finishReply } from '../db/replies';
import type { ChatUsage } from '../domain/ports';
import type { MessageRecord } from '../domain/records';
import type { AiContext } from './context';

export interface ReplyEnd {
  status: Exclude<MessageStatus, 'streaming'>;
  content: string;
  chunkEnds: number[];
  /** What the reply cost; null: nothing charged. */
  usage: ChatUsage | null;
  errorCode: string | null;
}

export interface EndedReplyRecord {
  reply: MessageRecord;
  charged: number;
}

export async function endReply(
  ctx: Pick<AiContext, 'clock' | 'publish'>,
  tx: Tx,
  replyId: string,
  end: ReplyEnd,
  meta: { requestId?: string | undefined } = {},
): Promise<EndedReplyRecord | null> {
  const now = ctx.clock.now();
  // Locks in the order every writer takes them: conversation, message, budget; so ending a reply
  // never deadlocks with deleting its conversation or sending to it.
  await lockConversationOf(tx, replyId);
  const finished = await finishReply(tx, replyId, {
    status: end.status,
    content: end.content,
    chunkEnds: end.chunkEnds,
    promptTokens: end.usage?.promptTokens ?? null,
    completionTokens: end.usage?.completionTokens ?? null,
    errorCode: end.errorCode,
    now,
  });
  if (!finished) return null;
  const { reply, userId } = finished;
  const charged = end.usage ? end.usage.promptTokens + end.usage.completionTokens : 0;
  await recordActivity(tx, reply.conversationId, { added: 0, now });
  if (reply.budgetDay)
    await settleTokens(tx, userId, reply.budgetDay, { reserved: reply.reservedTokens, used: charged });
  if (charged > 0 && reply.personaId && end.status !== 'failed') {
    await ctx.publish(
      tx,
      'ai.conversation.message',
      { conversationId: reply.conversationId, userId, persona: reply.personaId, tokens: charged },
      { subject: userId, requestId: meta.requestId },
    );
  }
  return { reply, charged };
}

/** The metric label of how a reply ended. */
export function outcomeOf(reply: Pick<MessageRecord, 'status' | 'errorCode'>): string {
  if (reply.status !== 'failed') return reply.status;
  return (reply.errorCode ?? 'ai.provider_failed').replace(/^ai\./, '');
}

// Records to responses: only the fields a response may show.
import type { Conversation, Message } from '@azora/contracts';
import type { ConversationRecord, MessageRecord } from './records';

export function toConversation(c: ConversationRecord): Conversation {
  return {
    id: c.id,
    personaId: c.personaId,
    title: c.title,
    messageCount: c.messageCount,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function toMessage(m: MessageRecord): Message {
  const usage =
    m.promptTokens === null || m.completionTokens === null
      ? null
      : {
          promptTokens: m.promptTokens,
          completionTokens: m.completionTokens,
          totalTokens: m.promptTokens + m.completionTokens,
        };
  return {
    id: m.id,
    conversationId: m.conversationId,
    role: m.role,
    content: m.content,
    status: m.status,
    personaId: m.personaId,
    routing: m.routing,
    consulted: m.consulted,
    provider: m.provider,
    model: m.model,
    usage,
    citations: m.citations,
    errorCode: m.errorCode,
    createdAt: m.createdAt.toISOString(),
    completedAt: m.completedAt?.toISOString() ?? null,
  };
}

/** The chunks of a reply after chunk `after` (1-based ids), from its content and chunk ends. */
export function chunksAfter(m: Pick<MessageRecord, 'content' | 'chunkEnds'>, after: number): string[] {
  const chunks: string[] = [];
  for (let i = after; i < m.chunkEnds.length; i++) {
    const start = i === 0 ? 0 : m.chunkEnds[i - 1]!;
    chunks.push(m.content.slice(start, m.chunkEnds[i]));
  }
  return chunks;
}

// The records AI Family's rules work on, as the database layer returns them (dates as Dates).
import type { AiProviderName, Citation, MessageRole, MessageStatus, PersonaId, Routing } from '@azora/contracts';

export interface ConversationRecord {
  id: string;
  userId: string;
  personaId: PersonaId | null;
  title: string;
  messageCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  seq: number;
  role: MessageRole;
  content: string;
  /** Where each streamed chunk ends in `content` (UTF-16 offsets): chunk n is the SSE event id n. */
  chunkEnds: number[];
  status: MessageStatus;
  personaId: PersonaId | null;
  routing: Routing | null;
  consulted: PersonaId[];
  provider: AiProviderName | null;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  citations: Citation[];
  errorCode: string | null;
  /** Budget reserved for this reply; released (and its cost counted) when it ends. */
  reservedTokens: number;
  budgetDay: string | null;
  cancelRequested: boolean;
  heartbeatAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** An indexed passage of a lesson, as retrieval returns it. */
export interface PassageRecord {
  courseId: string;
  courseTitle: string;
  lessonId: string;
  lessonTitle: string;
  lessonPosition: number;
  body: string;
  rank: number;
}

/** A course the learner is not enrolled in whose lessons cover the question: titles only. */
export interface CourseSuggestion {
  courseId: string;
  courseTitle: string;
  lessonTitle: string;
}

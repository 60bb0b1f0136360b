// AI Family's HTTP contract, as clients see it under /api/ai: the personas, conversations and
// their messages (a reply as JSON or streamed as Server-Sent Events, re-attachable and
// cancellable), and the caller's daily token budget. Also the two service-only reads AI Family
// makes of Education (a learner's context, a published course's content).
import { z } from 'zod';
import { PageQuery, pageOf } from './pagination';

const Uuid = z.uuid();
const Timestamp = z.iso.datetime({ offset: true });
const Count = z.number().int().nonnegative();

/** The eleven members of the AI family. Elara, the teacher, is the default. */
export const PersonaId = z.enum([
  'elara',
  'sankofa',
  'themba',
  'naledi',
  'jabari',
  'amara',
  'kofi',
  'zola',
  'abeni',
  'thembo',
  'nexus',
]);
export type PersonaId = z.infer<typeof PersonaId>;
export const PERSONA_IDS = PersonaId.options;
export const DEFAULT_PERSONA: PersonaId = 'elara';

export const Persona = z.object({
  id: PersonaId,
  name: z.string(),
  role: z.string(),
  description: z.string(),
  /** What questions it answers best: the subjects routing matches a message against. */
  domain: z.array(z.string()),
  /** True for Elara: who answers when nothing fits better. */
  isDefault: z.boolean(),
});
export type Persona = z.infer<typeof Persona>;

export const PersonaList = z.object({ items: z.array(Persona) });
export type PersonaList = z.infer<typeof PersonaList>;

/** Longest message a user may send, in characters. */
export const MAX_MESSAGE_CHARS = 4_000;

/** POST /conversations: with a persona, every reply is hers; without, each message is routed. */
export const CreateConversationRequest = z.object({
  personaId: PersonaId.optional(),
  title: z.string().trim().min(1).max(200).optional(),
});
export type CreateConversationRequest = z.input<typeof CreateConversationRequest>;

export const Conversation = z.object({
  id: Uuid,
  /** The persona chosen at creation; null: each message goes to the persona that fits it best. */
  personaId: PersonaId.nullable(),
  title: z.string(),
  messageCount: Count,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Conversation = z.infer<typeof Conversation>;

export const ConversationParams = z.object({ id: Uuid });
export type ConversationParams = z.infer<typeof ConversationParams>;
export const MessageParams = z.object({ id: Uuid, messageId: Uuid });
export type MessageParams = z.infer<typeof MessageParams>;

export const ConversationListQuery = PageQuery;
export type ConversationListQuery = z.input<typeof ConversationListQuery>;
export const ConversationPage = pageOf(Conversation);
export type ConversationPage = z.infer<typeof ConversationPage>;

export const SendMessageRequest = z.object({
  content: z
    .string()
    .trim()
    .min(1, 'write a message')
    .max(MAX_MESSAGE_CHARS, `at most ${MAX_MESSAGE_CHARS} characters`),
});
export type SendMessageRequest = z.input<typeof SendMessageRequest>;

export const MessageRole = z.enum(['user', 'assistant']);
export type MessageRole = z.infer<typeof MessageRole>;
/** A reply is `streaming` while it is generated, then complete, cancelled or failed. */
export const MessageStatus = z.enum(['streaming', 'complete', 'cancelled', 'failed']);
export type MessageStatus = z.infer<typeof MessageStatus>;
export const AiProviderName = z.enum(['openai', 'offline']);
export type AiProviderName = z.infer<typeof AiProviderName>;

export const TokenUsage = z.object({ promptTokens: Count, completionTokens: Count, totalTokens: Count });
export type TokenUsage = z.infer<typeof TokenUsage>;

/** A lesson passage a reply was grounded in. */
export const Citation = z.object({
  courseId: Uuid,
  courseTitle: z.string(),
  lessonId: Uuid,
  lessonTitle: z.string(),
});
export type Citation = z.infer<typeof Citation>;

/** How the persona of a reply was chosen: the conversation's, or routed by the message's words. */
export const Routing = z.object({
  mode: z.enum(['conversation', 'keywords', 'default']),
  /** The domain words of the message that chose it (routed replies). */
  matched: z.array(z.string()),
});
export type Routing = z.infer<typeof Routing>;

export const Message = z.object({
  id: Uuid,
  conversationId: Uuid,
  role: MessageRole,
  content: z.string(),
  status: MessageStatus,
  /** Who answered (assistant messages). */
  personaId: PersonaId.nullable(),
  routing: Routing.nullable(),
  /** Nexus: the personas it consulted. */
  consulted: z.array(PersonaId),
  provider: AiProviderName.nullable(),
  model: z.string().nullable(),
  usage: TokenUsage.nullable(),
  citations: z.array(Citation),
  /** Why a failed reply failed: a problem code (`ai.provider_failed`, `ai.reply_interrupted`...). */
  errorCode: z.string().nullable(),
  createdAt: Timestamp,
  completedAt: Timestamp.nullable(),
});
export type Message = z.infer<typeof Message>;

export const MessageListQuery = PageQuery;
export type MessageListQuery = z.input<typeof MessageListQuery>;
export const MessagePage = pageOf(Message);
export type MessagePage = z.infer<typeof MessagePage>;

/** The JSON answer of POST /conversations/:id/messages: the stored question and its reply. */
export const MessageExchange = z.object({ message: Message, reply: Message });
export type MessageExchange = z.infer<typeof MessageExchange>;

/** GET /usage: the caller's token budget for the current UTC day. */
export const UsageBudget = z.object({
  day: z.iso.date(),
  limit: Count,
  used: Count,
  /** Held by replies in progress, settled when they end. */
  reserved: Count,
  remaining: Count,
  resetsAt: Timestamp,
});
export type UsageBudget = z.infer<typeof UsageBudget>;

/** The extra members of the 429 `ai.budget_exceeded` problem. */
export const BudgetExceeded = z.object({
  code: z.literal('ai.budget_exceeded'),
  limit: Count,
  used: Count,
  resetsAt: Timestamp,
});
export type BudgetExceeded = z.infer<typeof BudgetExceeded>;

/**
 * The reply stream (`text/event-stream`), from POST /conversations/:id/messages with
 * `Accept: text/event-stream` and from GET /conversations/:id/messages/:messageId/stream:
 * - `event: start`, `data: {message, reply}` (the reply `streaming`; `message` is null on re-attach);
 * - `id: <n>`, `event: token`, `data: {"token": "..."}`, n = 1, 2, 3... the chunk's index; send
 *   the last n received as `Last-Event-ID` to re-attach after it;
 * - `event: done`, `data: <Message>` (complete, cancelled or failed), then the stream ends;
 * - `event: error`, `data: <Problem>` when the reply failed.
 */
export const AI_STREAM_EVENTS = { start: 'start', token: 'token', done: 'done', error: 'error' } as const;
export const ReplyStart = z.object({ message: Message.nullable(), reply: Message });
export type ReplyStart = z.infer<typeof ReplyStart>;
export const ReplyToken = z.object({ token: z.string() });
export type ReplyToken = z.infer<typeof ReplyToken>;

export const ReplyStreamQuery = z.object({ after: z.coerce.number().int().nonnegative().optional() });
export type ReplyStreamQuery = z.input<typeof ReplyStreamQuery>;

// Education's service-only reads for AI Family (its service credential only).

export const LearnerParams = z.object({ userId: Uuid });
export type LearnerParams = z.infer<typeof LearnerParams>;

/** A learner's active enrolments with progress and the next lesson to take, newest first. */
export const LearnerContext = z.object({
  userId: Uuid,
  enrollments: z.array(
    z.object({
      courseId: Uuid,
      title: z.string(),
      skills: z.array(z.string()),
      completedLessons: Count,
      totalLessons: Count,
      percent: z.number().int().min(0).max(100),
      completedAt: Timestamp.nullable(),
      nextLesson: z.object({ id: Uuid, title: z.string(), position: z.number().int().positive() }).nullable(),
    }),
  ),
});
export type LearnerContext = z.infer<typeof LearnerContext>;

/** A published course with every lesson's content, for indexing. */
export const CourseContent = z.object({
  courseId: Uuid,
  title: z.string(),
  description: z.string(),
  skills: z.array(z.string()),
  publishedAt: Timestamp,
  lessons: z.array(
    z.object({ id: Uuid, title: z.string(), position: z.number().int().positive(), content: z.string() }),
  ),
});
export type CourseContent = z.infer<typeof CourseContent>;

/** Published courses in publishing order, for catching up on ones whose event was missed. */
export const PublishedCourseQuery = PageQuery.extend({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export type PublishedCourseQuery = z.input<typeof PublishedCourseQuery>;
export const PublishedCoursePage = pageOf(z.object({ courseId: Uuid, title: z.string(), publishedAt: Timestamp }));
export type PublishedCoursePage = z.infer<typeof PublishedCoursePage>;

// What AI Family's use cases need from outside systems, as interfaces: the model provider
// (OpenAI or any OpenAI-compatible server, or the offline tutor) and Education's reads. Adapters
// live in src/providers and src/clients.
import type { AiProviderName, CourseContent, LearnerContext, PublishedCoursePage } from '@azora/contracts';
import type { PersonaDefinition } from './personas';
import type { CourseSuggestion, PassageRecord } from './records';

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What a reply is grounded in, for a provider that composes rather than generates (offline). */
export interface Grounding {
  persona: PersonaDefinition;
  question: string;
  passages: PassageRecord[];
  /** Null when Education could not be asked. */
  learner: LearnerContext | null;
  suggestions: CourseSuggestion[];
  /** Nexus: what each consulted persona answered. */
  perspectives: Array<{ persona: PersonaDefinition; text: string }>;
}

export interface ChatRequest {
  /** reply: the answer the learner reads; consult: a persona's short view for Nexus to combine. */
  purpose: 'reply' | 'consult';
  turns: ChatTurn[];
  temperature: number;
  maxTokens: number;
  grounding: Grounding;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

export type ChatChunk = { kind: 'token'; text: string } | { kind: 'usage'; usage: ChatUsage };

export interface ChatProvider {
  readonly name: AiProviderName;
  readonly model: string;
  /** The whole reply at once (JSON replies and Nexus's consultations). */
  complete(request: ChatRequest, signal: AbortSignal): Promise<{ text: string; usage: ChatUsage | null }>;
  /** The reply token by token; a usage chunk may come last. */
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk>;
}

/** failed: the provider refused or broke (502); unavailable: try later (503); timeout (504). */
export type ProviderFailureKind = 'failed' | 'unavailable' | 'timeout';

/** Any provider call that gave no reply. `message` is for the logs only, never for the caller. */
export class ProviderFailure extends Error {
  constructor(
    readonly kind: ProviderFailureKind,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProviderFailure';
  }
}

/** Education's reads, with AI Family's service credential. */
export interface EducationReads {
  /** Null when Education cannot be asked (down, no credentials): replies go on without it. */
  learnerContext(userId: string): Promise<LearnerContext | null>;
  /** Null when the course is unknown or not published; throws when Education cannot be asked. */
  courseContent(courseId: string): Promise<CourseContent | null>;
  publishedCourses(cursor: string | null): Promise<PublishedCoursePage>;
}

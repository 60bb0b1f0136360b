// Sending a message: the persona (the conversation's, or routed by the message), the grounding
// (the learner's courses and progress from Education, the most relevant passages of their
// lessons, a window of the conversation), the budget reserved under the day's row lock, the
// question and a reply in progress stored together, then the reply generated in the background.
import { randomUUID } from 'node:crypto';
import type { PersonaId, Routing } from '@azora/contracts';
import { withTransaction } from '@azora/service-kit';
import { lockBudget, reserveTokens } from '../db/budgets';
import { findConversation, recordActivity } from '../db/conversations';
import { searchPassages, suggestCourses } from '../db/course-index';
import { insertReply, insertUserMessage, recentMessages } from '../db/messages';
import { findStreamingReply } from '../db/replies';
import { budgetDay, budgetResetsAt, estimatePromptTokens, fits } from '../domain/budget';
import { budgetExceeded, conversationNotFound, replyInProgress } from '../domain/errors';
import { personaById, type PersonaDefinition } from '../domain/personas';
import type { Grounding } from '../domain/ports';
import { buildTurns, historyWindow } from '../domain/prompt';
import type { ConversationRecord, MessageRecord } from '../domain/records';
import { consultedFor, routePersona } from '../domain/routing';
import type { AiContext, Caller } from './context';
import { DEFAULT_TITLE, titleFrom } from './conversations';
import { generateReply } from './generate-reply';
import type { LiveReply } from './live-replies';

export interface StartedReply {
  message: MessageRecord;
  reply: MessageRecord;
  live: LiveReply;
}

function personaFor(conversation: ConversationRecord, content: string): { personaId: PersonaId; routing: Routing } {
  if (conversation.personaId)
    return { personaId: conversation.personaId, routing: { mode: 'conversation', matched: [] } };
  return routePersona(content);
}

async function groundingFor(
  ctx: AiContext,
  userId: string,
  persona: PersonaDefinition,
  question: string,
): Promise<Grounding> {
  const learner = await ctx.education.learnerContext(userId);
  // Only the lessons of courses the learner is enrolled in are quoted, as Education shows
  // lesson content only to enrolled learners; other courses are named, never quoted.
  const enrolled = learner?.enrollments.map((e) => e.courseId) ?? [];
  const passages = await searchPassages(ctx.pool, { question, courseIds: enrolled, limit: ctx.settings.passages });
  const suggestions =
    passages.length === 0 ? await suggestCourses(ctx.pool, { question, excludeCourseIds: enrolled, limit: 3 }) : [];
  return { persona, question, passages, learner, suggestions, perspectives: [] };
}

/** What a reply may cost at most: each call's prompt and answer, and Nexus's views in its prompt. */
function reservationFor(ctx: AiContext, promptTokens: number, consulted: number): number {
  const max = ctx.settings.maxReplyTokens;
  return (1 + consulted) * (promptTokens + max) + consulted * max;
}

export async function sendMessage(
  ctx: AiContext,
  caller: Caller,
  conversationId: string,
  content: string,
  mode: 'whole' | 'stream',
): Promise<StartedReply> {
  const userId = caller.user.id;
  const conversation = await findConversation(ctx.pool, conversationId, userId);
  if (!conversation) throw conversationNotFound(conversationId);
  const { personaId, routing } = personaFor(conversation, content);
  const persona = personaById(personaId);
  const consulted = personaId === 'nexus' ? consultedFor(content).map(personaById) : [];
  const [grounding, recent] = await Promise.all([
    groundingFor(ctx, userId, persona, content),
    recentMessages(ctx.pool, conversationId, ctx.settings.history.maxMessages),
  ]);
  const history = historyWindow(recent.reverse(), ctx.settings.history);
  const reservation = reservationFor(
    ctx,
    estimatePromptTokens(buildTurns({ persona, grounding, history })),
    consulted.length,
  );

  const { message, reply } = await withTransaction(ctx.pool, async (tx) => {
    const now = ctx.clock.now();
    const locked = await findConversation(tx, conversationId, userId, { lock: true });
    if (!locked) throw conversationNotFound(conversationId);
    const running = await findStreamingReply(tx, conversationId);
    if (running) throw replyInProgress(conversationId, running.id);
    const day = budgetDay(now);
    const used = await lockBudget(tx, userId, day);
    const state = { limit: ctx.settings.dailyTokenBudget, ...used };
    if (!fits(state, reservation)) {
      ctx.metrics.budgetRejections.inc();
      throw budgetExceeded({ limit: state.limit, used: state.used, resetsAt: budgetResetsAt(now).toISOString() }, now);
    }
    await reserveTokens(tx, userId, day, reservation);
    const message = await insertUserMessage(tx, { id: randomUUID(), conversationId, content, now });
    const reply = await insertReply(tx, {
      id: randomUUID(),
      conversationId,
      personaId,
      routing,
      consulted: consulted.map((p) => p.id),
      provider: ctx.provider.name,
      model: ctx.provider.model,
      citations: uniqueLessons(grounding),
      reservedTokens: reservation,
      budgetDay: day,
      now,
    });
    const first = locked.messageCount === 0 && locked.title === DEFAULT_TITLE;
    await recordActivity(tx, conversationId, { added: 2, now, title: first ? titleFrom(content) : undefined });
    return { message, reply };
  });

  const live = ctx.replies.start(reply.id);
  ctx.replies.track(
    generateReply(ctx, live, {
      replyId: reply.id,
      persona,
      grounding,
      history,
      consulted,
      timeoutMs: mode === 'whole' ? ctx.settings.replyTimeoutMs : ctx.settings.streamTimeoutMs,
      mode,
      requestId: caller.requestId,
    }),
  );
  return { message, reply, live };
}

function uniqueLessons(grounding: Grounding) {
  const seen = new Set<string>();
  return grounding.passages
    .filter((p) => !seen.has(p.lessonId) && seen.add(p.lessonId))
    .map((p) => ({
      courseId: p.courseId,
      courseTitle: p.courseTitle,
      lessonId: p.lessonId,
      lessonTitle: p.lessonTitle,
    }));
}

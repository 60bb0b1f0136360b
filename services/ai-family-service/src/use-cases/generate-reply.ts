// Generating a reply in the background, independent of the request that asked for it: chunks
// go to the live reply (for whoever follows it) and, in batches, to the database (for whoever
// re-attaches from elsewhere); the reply is ended once, as complete, cancelled (by the learner),
// or failed (provider error, deadline, shutdown). Nexus first consults the other personas and
// then writes the combined answer.
import { withTransaction } from '@azora/service-kit';
import { findMessageById } from '../db/messages';
import { appendToReply } from '../db/replies';
import { estimateTokens, settledUsage } from '../domain/budget';
import { providerCode } from '../domain/errors';
import type { PersonaDefinition } from '../domain/personas';
import { ProviderFailure, type ChatRequest, type ChatUsage, type Grounding } from '../domain/ports';
import { buildTurns, type HistoryMessage } from '../domain/prompt';
import type { AiContext } from './context';
import { endReply, outcomeOf, type ReplyEnd } from './end-reply';
import type { AbortReason, LiveReplyWriter } from './live-replies';

export interface ReplyJob {
  replyId: string;
  persona: PersonaDefinition;
  grounding: Grounding;
  history: HistoryMessage[];
  /** Nexus: the personas to consult first. */
  consulted: PersonaDefinition[];
  /** The whole generation's deadline: shorter for a JSON answer than for a stream. */
  timeoutMs: number;
  /** Whole (JSON answer) or token by token (stream). */
  mode: 'whole' | 'stream';
  requestId?: string | undefined;
}

function requestFor(
  ctx: AiContext,
  persona: PersonaDefinition,
  job: ReplyJob,
  grounding: Grounding,
  purpose: ChatRequest['purpose'],
): ChatRequest {
  return {
    purpose,
    turns: buildTurns({ persona, grounding, history: job.history }),
    temperature: persona.temperature,
    maxTokens: purpose === 'consult' ? Math.ceil(ctx.settings.maxReplyTokens / 2) : ctx.settings.maxReplyTokens,
    grounding,
  };
}

const addUsage = (a: ChatUsage, b: ChatUsage): ChatUsage => ({
  promptTokens: a.promptTokens + b.promptTokens,
  completionTokens: a.completionTokens + b.completionTokens,
});

/** Asks each consulted persona for its view, in parallel; returns the views and what they cost. */
async function consult(ctx: AiContext, job: ReplyJob, signal: AbortSignal) {
  const answers = await Promise.all(
    job.consulted.map(async (persona) => {
      const grounding = { ...job.grounding, persona, perspectives: [] };
      const request = requestFor(ctx, persona, job, grounding, 'consult');
      const { text, usage } = await ctx.provider.complete(request, signal);
      return {
        perspective: { persona, text: text.trim() },
        usage: settledUsage(usage, estimateTokens(request.turns.map((t) => t.content).join('')), text),
      };
    }),
  );
  return {
    perspectives: answers.map((a) => a.perspective),
    usage: answers.reduce((sum, a) => addUsage(sum, a.usage), { promptTokens: 0, completionTokens: 0 }),
  };
}

function failureOf(error: unknown, signal: AbortSignal, deadline: AbortSignal): { code: string; log: boolean } {
  const reason = signal.aborted ? (signal.reason as AbortReason) : undefined;
  if (reason === 'shutdown' || reason === 'gone') return { code: 'ai.reply_interrupted', log: false };
  if (deadline.aborted) return { code: providerCode('timeout'), log: false };
  if (error instanceof ProviderFailure) return { code: providerCode(error.kind), log: true };
  return { code: providerCode('failed'), log: true };
}

/** Runs the job to its end; never rejects (every failure ends the reply as failed). */
export async function generateReply(ctx: AiContext, live: LiveReplyWriter, job: ReplyJob): Promise<void> {
  const deadline = AbortSignal.timeout(job.timeoutMs);
  const signal = AbortSignal.any([live.signal, deadline]);
  const chunkEnds: number[] = [];
  let content = '';
  let usage: ChatUsage | null = null;
  let promptEstimate = 0;
  const batches = createBatchWriter(ctx, live, () => ({ content, chunkEnds }));
  const startedAt = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - startedAt) / 1e9;
  const provider = ctx.provider.name;
  let end: ReplyEnd;
  try {
    let consulted: ChatUsage = { promptTokens: 0, completionTokens: 0 };
    let grounding = job.grounding;
    if (job.consulted.length > 0) {
      const views = await consult(ctx, job, signal);
      consulted = views.usage;
      grounding = { ...grounding, perspectives: views.perspectives };
    }
    const request = requestFor(ctx, job.persona, job, grounding, 'reply');
    promptEstimate = estimateTokens(request.turns.map((t) => t.content).join('')) + consulted.promptTokens;
    const add = (text: string) => {
      if (chunkEnds.length === 0) ctx.metrics.providerLatency.observe({ provider, phase: 'first_token' }, seconds());
      content += text;
      chunkEnds.push(content.length);
      live.push(text);
    };
    if (job.mode === 'whole') {
      const answer = await ctx.provider.complete(request, signal);
      if (answer.text !== '') add(answer.text);
      usage = answer.usage;
    } else {
      for await (const chunk of ctx.provider.stream(request, signal)) {
        if (chunk.kind === 'usage') usage = chunk.usage;
        else if (chunk.text !== '') add(chunk.text);
      }
    }
    if (signal.aborted) throw signal.reason;
    ctx.metrics.providerLatency.observe({ provider, phase: 'complete' }, seconds());
    end = {
      status: 'complete',
      content,
      chunkEnds,
      usage: addUsage(settledUsage(usage, promptEstimate - consulted.promptTokens, content), consulted),
      errorCode: null,
    };
  } catch (error) {
    const partial = chunkEnds.length > 0 ? settledUsage(null, promptEstimate, content) : null;
    if (live.signal.aborted && live.signal.reason === 'cancel') {
      end = { status: 'cancelled', content, chunkEnds, usage: partial, errorCode: null };
    } else {
      const failure = failureOf(error, live.signal, deadline);
      if (failure.log) ctx.logger.warn({ err: error, replyId: job.replyId, provider }, 'the AI provider failed');
      end = { status: 'failed', content, chunkEnds, usage: partial, errorCode: failure.code };
    }
  }
  await batches.stop();
  live.end({ reply: await storeEnd(ctx, job, end) });
}

/** Stores the end; when it was ended elsewhere (deleted, swept) the row as it is, or null. */
async function storeEnd(ctx: AiContext, job: ReplyJob, end: ReplyEnd) {
  for (let attempt = 1; ; attempt++) {
    try {
      const ended = await withTransaction(ctx.pool, (tx) =>
        endReply(ctx, tx, job.replyId, end, { requestId: job.requestId }),
      );
      if (!ended) return await findMessageById(ctx.pool, job.replyId);
      ctx.metrics.replies.inc({ outcome: outcomeOf(ended.reply) });
      if (ended.charged > 0 && ended.reply.personaId)
        ctx.metrics.tokens.inc({ persona: ended.reply.personaId, provider: ctx.provider.name }, ended.charged);
      return ended.reply;
    } catch (error) {
      // The database away for a moment must not leave the reply 'streaming' until the sweep.
      ctx.logger.error({ err: error, replyId: job.replyId, attempt }, 'could not store the end of a reply');
      if (attempt >= 3) return null;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/**
 * Writes a reply in progress to its row every flush interval (new text, chunk ends, heartbeat;
 * a heartbeat alone when nothing new came for a while), and aborts the reply when the row says
 * a cancel was requested (by another process) or that it is no longer in progress.
 */
function createBatchWriter(
  ctx: AiContext,
  live: LiveReplyWriter,
  progress: () => { content: string; chunkEnds: number[] },
) {
  let written = 0;
  let writing: Promise<void> = Promise.resolve();
  let lastWriteAt = Date.now();
  const heartbeatEveryMs = Math.max(ctx.settings.flushMs, Math.floor(ctx.settings.staleReplyMs / 4));
  const flush = async () => {
    const { content, chunkEnds } = progress();
    const count = chunkEnds.length;
    if (count === written && Date.now() - lastWriteAt < heartbeatEveryMs) return;
    const from = written === 0 ? 0 : chunkEnds[written - 1]!;
    const ends = chunkEnds.slice(written, count);
    const text = content.slice(from, ends.length > 0 ? ends[ends.length - 1] : from);
    try {
      const state = await appendToReply(ctx.pool, live.messageId, { text, ends, now: ctx.clock.now() });
      written = count;
      lastWriteAt = Date.now();
      if (state === null) live.abort('gone');
      else if (state.cancelRequested) live.abort('cancel');
    } catch (error) {
      ctx.logger.warn({ err: error, replyId: live.messageId }, 'could not save a reply in progress; retrying');
    }
  };
  const timer = setInterval(() => {
    writing = writing.then(flush);
  }, ctx.settings.flushMs);
  return {
    async stop() {
      clearInterval(timer);
      await writing;
    },
  };
}

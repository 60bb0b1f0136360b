// Replies whose writer is gone: a process that died (or was killed) mid-reply leaves its row
// 'streaming' with a heartbeat that stopped. The sweep ends such replies as interrupted, keeping
// the text written so far and releasing their reservation; a learner who re-attaches or cancels
// meanwhile triggers the same for that one reply.
import { withTransaction, sleep } from '@azora/service-kit';
import { staleReplies } from '../db/replies';
import { settledUsage } from '../domain/budget';
import type { MessageRecord } from '../domain/records';
import type { AiContext } from './context';
import { endReply, outcomeOf } from './end-reply';

/** True when the reply is in progress but not in this process and its writer has been silent too long. */
export function isOrphaned(ctx: AiContext, reply: MessageRecord): boolean {
  if (reply.status !== 'streaming' || ctx.replies.get(reply.id)) return false;
  const heartbeat = reply.heartbeatAt ?? reply.createdAt;
  return ctx.clock.now().getTime() - heartbeat.getTime() > ctx.settings.staleReplyMs;
}

/** Ends an orphaned reply as `status` (failed as interrupted, or cancelled at the learner's request). */
export async function endOrphan(
  ctx: AiContext,
  reply: MessageRecord,
  status: 'failed' | 'cancelled',
): Promise<MessageRecord | null> {
  const usage = reply.content === '' ? null : settledUsage(null, 0, reply.content);
  const ended = await withTransaction(ctx.pool, (tx) =>
    endReply(ctx, tx, reply.id, {
      status,
      content: reply.content,
      chunkEnds: reply.chunkEnds,
      usage,
      errorCode: status === 'failed' ? 'ai.reply_interrupted' : null,
    }),
  );
  if (ended) ctx.metrics.replies.inc({ outcome: outcomeOf(ended.reply) });
  return ended?.reply ?? null;
}

/** Ends every orphaned reply; returns how many. */
export async function sweepOrphans(ctx: AiContext): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - ctx.settings.staleReplyMs);
  let swept = 0;
  for (const reply of await staleReplies(ctx.pool, before, 100)) {
    if (!isOrphaned(ctx, reply)) continue;
    if (await endOrphan(ctx, reply, 'failed')) swept++;
  }
  if (swept > 0) ctx.logger.warn({ swept }, 'replies interrupted by a stopped process were marked failed');
  return swept;
}

/** Sweeps at start and then every half stale interval, until `signal` aborts. */
export async function runOrphanSweeps(ctx: AiContext, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      await sweepOrphans(ctx);
    } catch (error) {
      ctx.logger.warn({ err: error }, 'could not sweep interrupted replies; trying again later');
    }
    await sleep(Math.max(1_000, ctx.settings.staleReplyMs / 2), signal);
  }
}

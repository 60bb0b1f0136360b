// Following a reply: from memory while this process writes it (every chunk as it arrives), from
// the database otherwise (the batches another process wrote, polled until it ends, or all of
// it once ended). Chunks are numbered from 1; following resumes after chunk `after`, so a client
// that re-attaches with the last id it saw (Last-Event-ID) misses nothing and repeats nothing.
import { sleep } from '@azora/service-kit';
import { findMessage, findMessageById } from '../db/messages';
import { requestCancel } from '../db/replies';
import { messageNotFound, notAReply } from '../domain/errors';
import type { MessageRecord } from '../domain/records';
import { chunksAfter } from '../domain/views';
import type { AiContext, Caller } from './context';
import { endOrphan, isOrphaned } from './interrupt-replies';
import type { LiveReply } from './live-replies';

export type ReplyFrame = { kind: 'token'; index: number; text: string } | { kind: 'end'; reply: MessageRecord | null };

/** The caller's reply `messageId` of conversation `conversationId`: 404 otherwise, 409 for their own message. */
export async function findReply(
  ctx: AiContext,
  caller: Caller,
  conversationId: string,
  messageId: string,
): Promise<MessageRecord> {
  const message = await findMessage(ctx.pool, caller.user.id, conversationId, messageId);
  if (!message) throw messageNotFound(conversationId, messageId);
  if (message.role !== 'assistant') throw notAReply(messageId);
  return message;
}

function waiter(live: LiveReply, signal: AbortSignal) {
  let notified = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    notified = true;
    wake?.();
  };
  const unsubscribe = live.subscribe(poke);
  signal.addEventListener('abort', poke, { once: true });
  return {
    wait: () =>
      notified
        ? Promise.resolve().then(() => {
            notified = false;
          })
        : new Promise<void>((resolve) => {
            wake = () => {
              wake = null;
              notified = false;
              resolve();
            };
          }),
    stop: () => {
      unsubscribe();
      signal.removeEventListener('abort', poke);
    },
  };
}

async function followLive(live: LiveReply, after: number, send: (f: ReplyFrame) => Promise<void>, signal: AbortSignal) {
  const updates = waiter(live, signal);
  let cursor = after;
  try {
    for (;;) {
      while (cursor < live.chunks.length && !signal.aborted) {
        await send({ kind: 'token', index: cursor + 1, text: live.chunks[cursor]! });
        cursor++;
      }
      if (signal.aborted) return;
      if (live.ended) {
        await send({ kind: 'end', reply: live.ended.reply });
        return;
      }
      await updates.wait();
    }
  } finally {
    updates.stop();
  }
}

export async function followReply(
  ctx: AiContext,
  replyId: string,
  after: number,
  send: (frame: ReplyFrame) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  let cursor = after;
  while (!signal.aborted) {
    const live = ctx.replies.get(replyId);
    if (live) return followLive(live, cursor, send, signal);
    let reply = await findMessageById(ctx.pool, replyId);
    if (reply && isOrphaned(ctx, reply))
      reply = (await endOrphan(ctx, reply, 'failed')) ?? (await findMessageById(ctx.pool, replyId));
    if (!reply) return send({ kind: 'end', reply: null });
    for (const text of chunksAfter(reply, cursor)) {
      if (signal.aborted) return;
      await send({ kind: 'token', index: ++cursor, text });
    }
    if (reply.status !== 'streaming') return send({ kind: 'end', reply });
    // Written by another process: read its next batch.
    await sleep(ctx.settings.flushMs, signal);
  }
}

/**
 * Stops a reply in progress and returns it. Here: at once, stored as cancelled with what was
 * written. In another process: asked through its row, which that process reads with its next
 * batch; the answer is then the reply as it is (still streaming when that has not happened yet).
 */
export async function cancelReply(
  ctx: AiContext,
  caller: Caller,
  conversationId: string,
  messageId: string,
): Promise<MessageRecord> {
  const reply = await findReply(ctx, caller, conversationId, messageId);
  if (reply.status !== 'streaming') return reply;
  const live = ctx.replies.get(reply.id);
  if (live) {
    live.abort('cancel');
    return (await live.done).reply ?? reply;
  }
  if (isOrphaned(ctx, reply)) return (await endOrphan(ctx, reply, 'cancelled')) ?? reply;
  await requestCancel(ctx.pool, reply.id);
  for (let i = 0; i < 8; i++) {
    await sleep(ctx.settings.flushMs);
    const now = await findMessageById(ctx.pool, reply.id);
    if (!now || now.status !== 'streaming') return now ?? reply;
  }
  return (await findMessageById(ctx.pool, reply.id)) ?? reply;
}

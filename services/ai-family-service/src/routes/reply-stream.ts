// A reply as Server-Sent Events (the frames are specified in packages/contracts/src/ai.ts):
// `start`, then `token` frames whose ids are the chunk indices, then `done` with the stored
// reply, or `error` with a problem when it failed. Used by sending with Accept: text/event-stream
// and by re-attaching; the client going away ends only its stream, never the reply.
import { AI_STREAM_EVENTS, type ReplyStart } from '@azora/contracts';
import { problemFor, type EventStream } from '@azora/service-kit';
import type { Request } from 'express';
import { messageNotFound, replyFailed } from '../domain/errors';
import { toMessage } from '../domain/views';
import type { AiContext } from '../use-cases/context';
import { followReply, type ReplyFrame } from '../use-cases/follow-reply';

export async function streamReply(
  ctx: AiContext,
  req: Request,
  stream: EventStream,
  { start, conversationId, after }: { start: ReplyStart; conversationId: string; after: number },
): Promise<void> {
  const problem = (error: ReturnType<typeof replyFailed>) =>
    problemFor(error, { instance: req.originalUrl, requestId: req.id });
  const send = async (frame: ReplyFrame) => {
    if (frame.kind === 'token')
      return stream.send({ id: frame.index, event: AI_STREAM_EVENTS.token, data: { token: frame.text } });
    if (!frame.reply)
      return stream.send({
        event: AI_STREAM_EVENTS.error,
        data: problem(messageNotFound(conversationId, start.reply.id)),
      });
    if (frame.reply.status === 'failed')
      return stream.send({
        event: AI_STREAM_EVENTS.error,
        data: problem(replyFailed(frame.reply.errorCode, frame.reply.id)),
      });
    return stream.send({ event: AI_STREAM_EVENTS.done, data: toMessage(frame.reply) });
  };
  try {
    await stream.send({ event: AI_STREAM_EVENTS.start, data: start });
    await followReply(ctx, start.reply.id, after, send, stream.signal);
  } catch (error) {
    req.log.warn({ err: error, replyId: start.reply.id }, 'a reply stream failed; the client may re-attach');
  } finally {
    stream.end();
  }
}

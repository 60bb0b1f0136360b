// Sending a message (the reply as JSON, or streamed with Accept: text/event-stream), re-attaching
// to a reply's stream, and cancelling a reply in progress.
import {
  ConversationParams,
  Message,
  MessageExchange,
  MessageParams,
  ReplyStreamQuery,
  SendMessageRequest,
} from '@azora/contracts';
import { lastEventIdOf, openEventStream, type Api } from '@azora/service-kit';
import { conversationNotFound, replyFailed } from '../domain/errors';
import { toMessage } from '../domain/views';
import type { AiContext } from '../use-cases/context';
import { cancelReply, findReply } from '../use-cases/follow-reply';
import { sendMessage } from '../use-cases/send-message';
import { callerOf } from './caller';
import { streamReply } from './reply-stream';

const tags = ['messages'];
const EVENT_STREAM = 'text/event-stream';
const SSE_DESCRIPTION =
  'Frames: `start` {message, reply}, then `token` {token} with `id:` the chunk index (1, 2, ...), then `done` with the stored reply, or `error` with a problem.';

export interface MessageRouteOptions {
  stopping: AbortSignal;
  heartbeatMs: number;
}

export function messageRoutes(api: Api, ctx: AiContext, { stopping, heartbeatMs }: MessageRouteOptions): void {
  api.endpoint(
    {
      method: 'post',
      path: '/conversations/:id/messages',
      summary: 'Send a message and get the reply',
      description:
        'JSON: 201 {message, reply} once the reply is complete; a provider failure is 502/503/504 and the stored reply says so. ' +
        `With Accept: text/event-stream the reply streams at once. ${SSE_DESCRIPTION} ` +
        'The reply is generated and stored even when the client goes away; re-attach with GET …/messages/:messageId/stream.',
      tags,
      access: 'user',
      params: ConversationParams,
      body: SendMessageRequest,
      responses: { 201: MessageExchange, 200: { contentType: EVENT_STREAM, description: SSE_DESCRIPTION } },
    },
    async ({ params, body }, req, res) => {
      const caller = callerOf(req);
      if (req.accepts(['application/json', EVENT_STREAM]) === EVENT_STREAM) {
        const started = await sendMessage(ctx, caller, params.id, body.content, 'stream');
        const stream = openEventStream(res, { stopping, heartbeatMs });
        const start = { message: toMessage(started.message), reply: toMessage(started.reply) };
        await streamReply(ctx, req, stream, { start, conversationId: params.id, after: 0 });
        return;
      }
      const started = await sendMessage(ctx, caller, params.id, body.content, 'whole');
      const { reply } = await started.live.done;
      if (!reply) throw conversationNotFound(params.id);
      if (reply.status === 'failed') throw replyFailed(reply.errorCode, reply.id);
      res.status(201).json({ message: toMessage(started.message), reply: toMessage(reply) });
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/conversations/:id/messages/:messageId/stream',
      summary: 'Re-attach to a reply',
      description: `Streams the reply from after the chunk named by Last-Event-ID (or ?after=), live while it is written and from storage once it ended. ${SSE_DESCRIPTION}`,
      tags,
      access: 'user',
      params: MessageParams,
      query: ReplyStreamQuery,
      headers: { 'Last-Event-ID': { required: false, description: 'The id of the last token frame received' } },
      responses: { 200: { contentType: EVENT_STREAM, description: SSE_DESCRIPTION } },
    },
    async ({ params, query }, req, res) => {
      const lastEventId = lastEventIdOf(req);
      const reply = await findReply(ctx, callerOf(req), params.id, params.messageId);
      const stream = openEventStream(res, { stopping, heartbeatMs });
      const after = lastEventId ?? query.after ?? 0;
      await streamReply(ctx, req, stream, {
        start: { message: null, reply: toMessage(reply) },
        conversationId: params.id,
        after,
      });
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/conversations/:id/messages/:messageId/cancel',
      summary: 'Stop a reply in progress',
      description:
        'The reply is stored as cancelled with what it had written (which is charged). An ended reply is answered as it is. ' +
        '202 when the reply is written by another instance that has not stopped yet.',
      tags,
      access: 'user',
      params: MessageParams,
      responses: { 200: Message, 202: Message },
    },
    async ({ params }, req, res) => {
      const reply = await cancelReply(ctx, callerOf(req), params.id, params.messageId);
      res.status(reply.status === 'streaming' ? 202 : 200).json(toMessage(reply));
    },
  );
}

// ai: personas and conversations with the AI family, under /api/ai, the daily budget, and the
// reply streamed over Server-Sent Events (frames: packages/contracts/src/ai.ts): as tokens
// (streamMessage), or as typed events that re-attach by themselves when the connection drops
// (streamReply, followReply), since the service finishes a reply whatever happens to its stream.
import type * as C from '@azora/contracts';
import { type Input, type Output } from '../contract-types';
import { CLIENT_ERROR_CODES } from '../error-codes';
import { AzoraApiError, errorFromResponse } from '../errors';
import { type EventStreamer } from '../event-stream';
import { type SseEvent } from '../sse';
import { DEFAULT_RETRY_MS, isTransient, sleep } from '../stream-retry';
import { path, type RequestOptions, type Transport } from '../transport';

const BASE = '/api/ai';
/** Re-attachments in a row without a new frame before the loop gives up. */
const MAX_REATTACH = 5;

type Message = Output<typeof C.Message>;

/** What streamReply and followReply yield: the reply's start, each token with its index, its end. */
export type ReplyEvent =
  | { type: 'start'; message: Message | null; reply: Message }
  | { type: 'token'; index: number; token: string }
  | { type: 'done'; reply: Message };

export interface ReplyStreamOptions extends RequestOptions {
  /** The index of the last token already shown: following resumes after it. */
  lastEventId?: number | undefined;
  /** Re-attach when the connection ends or drops before the reply did (default true). */
  reconnect?: boolean | undefined;
}

export function createAiApi(transport: Transport, streamer: EventStreamer) {
  return {
    /** GET /personas: the eleven personas of the AI family; Elara is the default. */
    listPersonas(options?: RequestOptions): Promise<Output<typeof C.PersonaList>> {
      return transport.call({ method: 'GET', path: `${BASE}/personas` }, options);
    },

    /** POST /conversations {personaId?, title?} → 201. Without a persona, each message is routed. */
    createConversation(
      body: Input<typeof C.CreateConversationRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.Conversation>> {
      return transport.call({ method: 'POST', path: `${BASE}/conversations`, body }, options);
    },

    /** POST /conversations/:id/messages {content} → 201 {message, reply}: the whole reply as JSON. */
    sendMessage(
      conversationId: string,
      body: Input<typeof C.SendMessageRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.MessageExchange>> {
      return transport.call(
        { method: 'POST', path: BASE + path`/conversations/${conversationId}/messages`, body },
        options,
      );
    },

    /** GET /conversations/:id/messages?cursor=&limit=: the messages, oldest first. */
    listMessages(
      conversationId: string,
      query?: Input<typeof C.MessageListQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.MessagePage>> {
      return transport.call(
        { method: 'GET', path: BASE + path`/conversations/${conversationId}/messages`, query },
        options,
      );
    },

    /**
     * POST /conversations/:id/messages {content} with Accept: text/event-stream: yields the
     * reply's tokens as they arrive. Ends at `data: [DONE]`, an `event: done` or the end of the
     * stream; an `event: error` rejects with an AzoraApiError. Other events (`start`, with the
     * stored question and the reply's id) are skipped. Breaking out of the loop, or aborting
     * `signal`, closes the connection; the service still finishes and stores the reply.
     */
    async *streamMessage(
      conversationId: string,
      content: string,
      options?: RequestOptions,
    ): AsyncGenerator<string, void, undefined> {
      const events = streamer.post(BASE + path`/conversations/${conversationId}/messages`, { content }, options);
      for await (const event of events) {
        if (event.event === 'done' || event.data === '[DONE]') return;
        if (event.event === 'error') throw streamError(event);
        if (event.event !== 'message' && event.event !== 'token') continue;
        const token = tokenOf(event.data);
        if (token) yield token;
      }
    },

    /** GET /conversations?cursor=&limit=: the caller's conversations, most recently active first. */
    listConversations(
      query?: Input<typeof C.ConversationListQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.ConversationPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/conversations`, query }, options);
    },

    /** GET /conversations/:id. */
    getConversation(conversationId: string, options?: RequestOptions): Promise<Output<typeof C.Conversation>> {
      return transport.call({ method: 'GET', path: BASE + path`/conversations/${conversationId}` }, options);
    },

    /** DELETE /conversations/:id → 204: the conversation and its messages (a reply in progress is cancelled). */
    deleteConversation(conversationId: string, options?: RequestOptions): Promise<void> {
      return transport.call({ method: 'DELETE', path: BASE + path`/conversations/${conversationId}` }, options);
    },

    /** POST /conversations/:id/messages/:messageId/cancel: stops a reply in progress; returns it. */
    cancelReply(conversationId: string, messageId: string, options?: RequestOptions): Promise<Message> {
      return transport.call(
        { method: 'POST', path: BASE + path`/conversations/${conversationId}/messages/${messageId}/cancel` },
        options,
      );
    },

    /** GET /usage: the caller's token budget for the current UTC day. */
    getUsage(options?: RequestOptions): Promise<Output<typeof C.UsageBudget>> {
      return transport.call({ method: 'GET', path: `${BASE}/usage` }, options);
    },

    /**
     * POST /conversations/:id/messages {content} as a stream of ReplyEvents: `start` (the stored
     * question and the reply's id), each `token` with its index, then `done` with the stored
     * reply. When the connection drops before `done`, it re-attaches to the reply after the last
     * token yielded (Last-Event-ID), so none is missed or repeated. A failed reply rejects with its
     * problem. Breaking out of the loop, or aborting `signal`, closes the connection.
     */
    streamReply(
      conversationId: string,
      content: string,
      options: Omit<ReplyStreamOptions, 'lastEventId'> = {},
    ): AsyncGenerator<ReplyEvent, void, undefined> {
      const { reconnect, ...request } = options;
      return replyEvents(
        () => streamer.post(BASE + path`/conversations/${conversationId}/messages`, { content }, request),
        (replyId, last) => reattach(conversationId, replyId, last, request),
        { last: 0, reconnect, signal: request.signal },
      );
    },

    /**
     * GET /conversations/:id/messages/:messageId/stream: re-attaches to a reply (after a reload,
     * say) from after `lastEventId`, live while it is written, from storage once it ended; yields
     * ReplyEvents like streamReply, re-attaching again when the connection drops.
     */
    followReply(
      conversationId: string,
      messageId: string,
      options: ReplyStreamOptions = {},
    ): AsyncGenerator<ReplyEvent, void, undefined> {
      const { lastEventId = 0, reconnect, ...request } = options;
      return replyEvents(
        () => reattach(conversationId, messageId, lastEventId, request),
        (replyId, last) => reattach(conversationId, replyId, last, request),
        { last: lastEventId, reconnect, signal: request.signal },
      );
    },
  };

  function reattach(conversationId: string, replyId: string, last: number, request: RequestOptions) {
    const headers = { ...request.headers, ...(last > 0 ? { 'Last-Event-ID': String(last) } : {}) };
    return streamer.get(BASE + path`/conversations/${conversationId}/messages/${replyId}/stream`, {
      ...request,
      headers,
    });
  }
}

export type AiApi = ReturnType<typeof createAiApi>;

/** A reply frame as a ReplyEvent; null for frames that are none (heartbeats, other events). */
function replyEventOf(event: SseEvent): ReplyEvent | null {
  switch (event.event) {
    case 'start': {
      const { message, reply } = JSON.parse(event.data) as { message: Message | null; reply: Message };
      return { type: 'start', message, reply };
    }
    case 'token': {
      const index = Number(event.lastEventId);
      const token = tokenOf(event.data);
      return token === null || !Number.isInteger(index) ? null : { type: 'token', index, token };
    }
    case 'done':
      return { type: 'done', reply: JSON.parse(event.data) as Message };
    default:
      return null;
  }
}

async function* replyEvents(
  open: () => AsyncGenerator<SseEvent, void, undefined>,
  again: (replyId: string, last: number) => AsyncGenerator<SseEvent, void, undefined>,
  state: { last: number; reconnect?: boolean | undefined; signal?: AbortSignal | undefined },
): AsyncGenerator<ReplyEvent, void, undefined> {
  const { reconnect = true, signal } = state;
  let last = state.last;
  let replyId: string | undefined;
  let started = false;
  let retryMs = DEFAULT_RETRY_MS;
  let source = open();
  for (let quiet = 0; ;) {
    // The reply's own failure (an error frame) is final; only the connection's is retried.
    let failure: AzoraApiError | undefined;
    try {
      for await (const event of source) {
        if (event.retry !== undefined) retryMs = event.retry;
        if (event.event === 'error') {
          failure = streamError(event);
          break;
        }
        const reply = replyEventOf(event);
        if (!reply) continue;
        quiet = 0;
        if (reply.type === 'start') {
          replyId = reply.reply.id;
          if (started) continue; // a re-attachment's start: already yielded
          started = true;
        }
        if (reply.type === 'token') {
          if (reply.index <= last) continue;
          last = reply.index;
        }
        yield reply;
        if (reply.type === 'done') return;
      }
    } catch (error) {
      if (signal?.aborted || !reconnect || replyId === undefined || !isTransient(error)) throw error;
    }
    if (failure) throw failure;
    if (signal?.aborted) return;
    if (!reconnect || replyId === undefined || ++quiet > MAX_REATTACH) {
      throw new AzoraApiError({
        status: 502,
        type: 'about:blank',
        title: 'The reply stream ended early',
        detail: 'The connection ended before the reply did; follow it again with followReply',
        code: CLIENT_ERROR_CODES.streamFailed,
      });
    }
    await sleep(retryMs, signal);
    if (signal?.aborted) return;
    source = again(replyId, last);
  }
}

/**
 * The text of one token frame: `data: {"token": "..."}` (or `content`, `delta`, `text`), a JSON
 * string, or plain text. A JSON object without such a field (metadata) is no token: null.
 */
export function tokenOf(data: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return data;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of ['token', 'content', 'delta', 'text']) {
      const field = record[key];
      if (typeof field === 'string') return field;
    }
    return null;
  }
  return data;
}

function streamError(event: SseEvent): AzoraApiError {
  const error = errorFromResponse(502, event.data, undefined, 'The reply stream failed');
  if (error.problem) return error;
  return new AzoraApiError({
    status: 502,
    type: 'about:blank',
    title: 'The reply stream failed',
    detail: event.data || undefined,
    code: CLIENT_ERROR_CODES.streamFailed,
  });
}

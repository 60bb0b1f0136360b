// ai: personas and conversations with the AI family, under /api/ai, including the reply
// streamed token by token over Server-Sent Events (frames: packages/contracts/src/ai.ts).
import type * as C from '@azora/contracts';
import { type Input, type Output } from '../contract-types';
import { CLIENT_ERROR_CODES } from '../error-codes';
import { AzoraApiError, errorFromResponse } from '../errors';
import { type EventStreamer } from '../event-stream';
import { type SseEvent } from '../sse';
import { path, type RequestOptions, type Transport } from '../transport';

const BASE = '/api/ai';

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
  };
}

export type AiApi = ReturnType<typeof createAiApi>;

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

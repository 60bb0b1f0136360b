// Streaming requests over fetch (axios cannot stream a response body in a browser): opens a
// `text/event-stream` response with the session's token, refreshing once on a 401 like the JSON
// transport does, and yields its events with failures mapped to AzoraApiError.
import { CLIENT_ERROR_CODES } from './error-codes';
import { AzoraApiError, errorFromResponse, errorWithoutResponse, isAzoraApiError } from './errors';
import { type Session } from './session';
import { readSseStream, type SseEvent } from './sse';
import { type RequestOptions } from './transport';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface EventStreamer {
  /** POSTs `body` as JSON to `path` and yields the server's events until the stream ends. */
  post(path: string, body: unknown, options?: RequestOptions): AsyncGenerator<SseEvent, void, undefined>;
  /** GETs `path` (headers such as Last-Event-ID from `options`) and yields its events until the stream ends. */
  get(path: string, options?: RequestOptions): AsyncGenerator<SseEvent, void, undefined>;
}

/** No body: a GET. */
const NO_BODY = Symbol('no body');

export function createEventStreamer(deps: {
  baseUrl: string;
  session: Session;
  fetch?: FetchLike | undefined;
}): EventStreamer {
  const target = deps.baseUrl || 'this origin';

  async function send(path: string, body: unknown, options: RequestOptions, token: string | null): Promise<Response> {
    // Resolved per call so that a fetch installed after the client was created is used.
    const fetchImpl: FetchLike = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const hasBody = body !== NO_BODY;
    const headers: Record<string, string> = {
      Accept: 'text/event-stream',
      ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      ...options.headers,
    };
    if (token !== null) headers['Authorization'] = `Bearer ${token}`;
    try {
      return await fetchImpl(`${deps.baseUrl.replace(/\/+$/, '')}${path}`, {
        method: hasBody ? 'POST' : 'GET',
        headers,
        ...(hasBody ? { body: JSON.stringify(body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw failure(error, options.signal);
    }
  }

  async function open(path: string, body: unknown, options: RequestOptions): Promise<Response> {
    let sentWith = deps.session.getTokens().accessToken;
    let response = await send(path, body, options, sentWith);
    if (response.status === 401 && deps.session.canRecover(sentWith)) {
      await response.body?.cancel().catch(() => undefined);
      await deps.session.renew(sentWith);
      sentWith = deps.session.getTokens().accessToken;
      response = await send(path, body, options, sentWith);
    }
    const requestId = response.headers.get('x-request-id') ?? undefined;
    if (!response.ok)
      throw errorFromResponse(response.status, await response.text().catch(() => ''), requestId, response.statusText);
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.toLowerCase().startsWith('text/event-stream') || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new AzoraApiError({
        status: response.status,
        type: 'about:blank',
        title: 'Expected an event stream',
        detail: `The server answered with "${contentType || 'no content type'}" instead of text/event-stream`,
        requestId,
        code: CLIENT_ERROR_CODES.unexpectedResponse,
      });
    }
    return response;
  }

  function failure(error: unknown, signal: AbortSignal | undefined): AzoraApiError {
    if (isAzoraApiError(error)) return error;
    const aborted = signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
    return errorWithoutResponse(aborted ? 'aborted' : 'network', target, error);
  }

  async function* events(path: string, body: unknown, options: RequestOptions): AsyncGenerator<SseEvent, void> {
    const response = await open(path, body, options);
    try {
      yield* readSseStream(response.body as ReadableStream<Uint8Array>);
    } catch (error) {
      throw failure(error, options.signal);
    }
  }

  return {
    post: (path, body, options = {}) => events(path, body, options),
    get: (path, options = {}) => events(path, NO_BODY, options),
  };
}

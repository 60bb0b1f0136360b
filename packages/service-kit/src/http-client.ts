// Service-to-service HTTP calls on the busy paths: the outbox relay's publishes to Nexus and
// Nexus's deliveries to subscribers. node:http with a keep-alive agent, not fetch: fetch's
// machinery (undici, web streams, an AbortSignal timer per call) cost several times the CPU of a
// publish (figures in the README's benchmark section).
import http from 'node:http';
import https from 'node:https';

export interface HttpCallOptions {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  /** The whole call, from connecting to the last byte of the answer. */
  timeoutMs: number;
  /** Aborts the call, as when the caller is stopping. */
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  /** A 2xx status. */
  ok: boolean;
  /** The answer's body, up to MAX_ANSWER_CHARS; the rest is read (so the connection is reused) and dropped. */
  text: string;
  /** The answer's headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
}

/** Why a call got no answer. `name` is 'TimeoutError' or 'AbortError' as for fetch, else
 * 'HttpCallError' with the socket's message (e.g. "connect ECONNREFUSED 127.0.0.1:4000"). */
export class HttpCallError extends Error {
  constructor(
    message: string,
    override readonly name: 'TimeoutError' | 'AbortError' | 'HttpCallError',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const MAX_ANSWER_CHARS = 1_000_000;
/** How long a kept-alive connection may sit idle, when the server does not ask for less. */
const IDLE_SOCKET_MS = 30_000;

export interface HttpClient {
  call(url: string | URL, options: HttpCallOptions): Promise<HttpAnswer>;
  /** Closes the idle kept-alive connections. */
  close(): void;
}

export function createHttpClient({ maxSockets = 64 }: { maxSockets?: number } = {}): HttpClient {
  // Idle connections are dropped a second before the server's advertised keep-alive timeout
  // runs out, so a call rarely lands on a socket the server is closing. Node's agent reads that
  // hint only to shorten an idle timeout of its own, hence IDLE_SOCKET_MS.
  const options = { keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS };
  const agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };

  function call(
    url: string | URL,
    { method, headers = {}, body, timeoutMs, signal }: HttpCallOptions,
  ): Promise<HttpAnswer> {
    const target = typeof url === 'string' ? new URL(url) : url;
    const protocol = target.protocol === 'https:' ? 'https:' : target.protocol === 'http:' ? 'http:' : undefined;
    if (!protocol) return Promise.reject(new HttpCallError(`unsupported protocol ${target.protocol}`, 'HttpCallError'));
    if (signal?.aborted) return Promise.reject(new HttpCallError('aborted', 'AbortError'));
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const fail = (error: HttpCallError) => {
        finish(() => reject(error));
        request.destroy();
      };
      const onAbort = () => fail(new HttpCallError('aborted', 'AbortError'));
      const request = (protocol === 'https:' ? https : http).request(
        target,
        {
          method,
          agent: agents[protocol],
          headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (text.length < MAX_ANSWER_CHARS) text += chunk.slice(0, MAX_ANSWER_CHARS - text.length);
          });
          const status = res.statusCode ?? 0;
          res.on('end', () =>
            finish(() => resolve({ status, ok: status >= 200 && status < 300, text, headers: res.headers })),
          );
          res.on('error', (error) => fail(new HttpCallError(error.message, 'HttpCallError', { cause: error })));
        },
      );
      const timer = setTimeout(
        () => fail(new HttpCallError(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => fail(new HttpCallError(error.message, 'HttpCallError', { cause: error })));
      request.end(body);
    });
  }

  return {
    call,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

// What a slow or greedy client may hold of a server: how long it may take to send its headers
// and its whole request, how long an idle keep-alive connection stays open, and how many
// connections one address may keep at once. A client that exceeds them gets a 408 or 400
// problem+json (or, for a connection over its cap, a closed socket), and nobody else waits.
import type http from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problemTypeUri, PROBLEMS, type ProblemCode } from '@azora/contracts';

export interface ServerLimits {
  /** Time to receive a request's headers (slow-header attacks). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (a declared body never sent). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept (longer than a load balancer's). */
  keepAliveTimeoutMs: number;
  /** Connections one remote address may hold at once; more are closed on arrival. */
  maxConnectionsPerClient: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  // Generous: between services, every call of a peer comes from one address over a pool.
  maxConnectionsPerClient: 256,
};

function rawProblem(code: ProblemCode, detail: string): string {
  const { status, title } = PROBLEMS[code];
  const body = JSON.stringify({ type: problemTypeUri(code), title, status, detail, code });
  return (
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/** The options of http.createServer that enforce `limits`' timeouts. Node checks them on an
 * interval fixed when the server is made (30 s by default, far coarser than the limits). */
export function serverTimeoutOptions(limits: Partial<ServerLimits> = {}): http.ServerOptions {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = { ...DEFAULT_SERVER_LIMITS, ...limits };
  return {
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(
      50,
      Math.min(1_000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4)),
    ),
  };
}

/** Enforces `limits` on a server made with serverTimeoutOptions(limits): the per-client
 * connection cap, and timeouts and malformed requests answered as problem+json. */
export function applyServerLimits(server: http.Server, limits: Partial<ServerLimits> = {}): ServerLimits {
  const applied = { ...DEFAULT_SERVER_LIMITS, ...limits };
  server.headersTimeout = applied.headersTimeoutMs;
  server.requestTimeout = applied.requestTimeoutMs;
  server.keepAliveTimeout = applied.keepAliveTimeoutMs;

  const perClient = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const open = (perClient.get(address) ?? 0) + 1;
    if (open > applied.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    perClient.set(address, open);
    socket.once('close', () => {
      const left = (perClient.get(address) ?? 1) - 1;
      if (left <= 0) perClient.delete(address);
      else perClient.set(address, left);
    });
  });

  // Node answers these itself with a bare status line; ours say what happened, as every answer does.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (
      !socket.writable ||
      (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent
    ) {
      socket.destroy();
      return;
    }
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT';
    const answer = timedOut
      ? rawProblem('request.timeout', 'The request was not received in time')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? rawProblem('request.invalid', 'The request headers are too large')
        : rawProblem('request.invalid', 'The request is not valid HTTP');
    socket.end(answer);
  });
  return applied;
}

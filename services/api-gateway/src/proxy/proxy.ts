// Forwarding to one service: bodies and responses stream through untouched (SSE included), the
// request id travels on, identity headers a client made up are removed, and every failure is a
// problem+json: 413 for a body over the limit, 504 when the service is slow to answer, 502 when
// it is down or its circuit is open. Written on node:http with pooled keep-alive connections:
// http-proxy-middleware's passes cost more CPU per request than the forwarding itself.
import http from 'node:http';
import type { Logger } from '@azora/service-kit';
import { createCircuitBreaker, type Attempt, type CircuitBreaker } from '../domain/circuit-breaker';
import type { ProxySettings } from '../domain/settings';
import type { GatewayMetrics } from '../metrics';
import {
  answerWithProblem,
  bodyTooLarge,
  upstreamCircuitOpen,
  upstreamTimeout,
  upstreamUnreachable,
} from './proxy-problems';
import type { Upstream } from './upstreams';

/** Headers that claim an identity: only a verified token may do that, so they never pass. */
const FORGEABLE_IDENTITY = ['x-user-id', 'x-user-role', 'x-user-email', 'x-authenticated-user'];
/** Hop-by-hop headers of the client's connection, not of the gateway's to the service. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade'];
/** Hop-by-hop headers of the service's answer: the gateway frames its own connection to the client. */
const HOP_BY_HOP_ANSWER = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

/** Appends this hop to an X-Forwarded-* list the client may have started. */
function appendForwarded(headers: http.IncomingHttpHeaders, name: string, value: string): void {
  const existing = headers[name];
  headers[name] = typeof existing === 'string' && existing !== '' ? `${existing},${value}` : value;
}

/** What the front door knows about a request it hands over. */
export interface Forwarding {
  requestId: string;
  /** The URL as the client sent it (req.url is already the service's path). */
  instance: string;
}

interface InFlight extends Forwarding {
  upstream: Upstream;
  attempt: Attempt;
  startedAt: bigint;
  timer?: NodeJS.Timeout;
  proxyReq?: http.ClientRequest;
  /** Already answered by the gateway (timeout, body too large): later proxy events are ignored. */
  answered: boolean;
}

export interface ProxyDeps {
  settings: ProxySettings;
  metrics: GatewayMetrics;
  logger: Logger;
}

export interface ProxyRoute {
  readonly upstream: Upstream;
  readonly breaker: CircuitBreaker;
  /** Sends `req` (whose url is the path on the service) on and streams the answer back. */
  forward(req: http.IncomingMessage, res: http.ServerResponse, forwarding: Forwarding): void;
  close(): void;
}

/** Stops the request to the service, if one was started; the gateway answers instead. */
function cutOff(state: InFlight): void {
  state.answered = true;
  clearTimeout(state.timer);
  state.proxyReq?.destroy();
}

/** A chunked body has no length to check up front: count it as it streams. */
function limitStreamedBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  state: InFlight,
  limitBytes: number,
): void {
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] === undefined) return;
  let received = 0;
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= limitBytes) return;
    req.off('data', count);
    req.unpipe();
    state.attempt.abandon();
    cutOff(state);
    res.setHeader('connection', 'close');
    answerWithProblem(res, bodyTooLarge(limitBytes), state);
  };
  req.on('data', count);
}

export function createProxyRoute(upstream: Upstream, deps: ProxyDeps): ProxyRoute {
  const { settings, metrics, logger } = deps;
  const timeoutMs = settings.timeouts[upstream.prefix] ?? settings.timeoutMs;
  const breaker = createCircuitBreaker({
    failureThreshold: settings.breakerFailureThreshold,
    cooldownMs: settings.breakerCooldownMs,
    onChange: (state) => {
      metrics.setBreakerState(upstream.name, state);
      logger.warn({ upstream: upstream.name, state }, `circuit to ${upstream.name} is ${state}`);
    },
  });
  metrics.setBreakerState(upstream.name, 'closed');
  // Pooled keep-alive connections: a new TCP connection per request would halve throughput.
  // An idle timeout of its own lets the agent honour the service's Keep-Alive hint (it only
  // ever shortens one): idle connections close before the service would close them.
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: 512,
    maxFreeSockets: 128,
    scheduling: 'lifo',
    timeout: 30_000,
  });
  const target = new URL(upstream.url);
  const basePath = target.pathname.replace(/\/+$/, '');

  /** The service answered: its status, headers and body go to the client as they come. */
  function relayAnswer(answer: http.IncomingMessage, res: http.ServerResponse, state: InFlight): void {
    clearTimeout(state.timer);
    state.attempt.succeeded();
    metrics.upstreamLatency.observe(
      { upstream: upstream.name },
      Number(process.hrtime.bigint() - state.startedAt) / 1e9,
    );
    if (state.answered || res.destroyed) {
      answer.resume();
      return;
    }
    res.statusCode = answer.statusCode ?? 502;
    if (answer.statusMessage) res.statusMessage = answer.statusMessage;
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !HOP_BY_HOP_ANSWER.has(name)) res.setHeader(name, value);
    }
    // A service that dies mid-answer leaves a cut-off response: the client sees it end early.
    answer.once('error', () => res.destroy());
    answer.once('aborted', () => res.destroy());
    answer.pipe(res);
  }

  /** The request to the service failed before it answered. */
  function failed(
    error: NodeJS.ErrnoException,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    state: InFlight,
  ): void {
    if (state.answered) return;
    clearTimeout(state.timer);
    if (res.destroyed || req.socket.destroyed) {
      // The client left first: nothing to answer and nothing learned about the service.
      state.attempt.abandon();
      return;
    }
    state.attempt.failed();
    logger.warn(
      { requestId: state.requestId, upstream: upstream.name, code: error.code, err: error },
      'upstream request failed',
    );
    answerWithProblem(res, upstreamUnreachable(upstream, error.code ?? error.message), state);
  }

  function send(req: http.IncomingMessage, res: http.ServerResponse, state: InFlight): void {
    const headers = req.headers;
    // This hop, for the service's logs and rate limits: who asked, on which port and scheme.
    appendForwarded(headers, 'x-forwarded-for', req.socket.remoteAddress ?? '');
    appendForwarded(headers, 'x-forwarded-port', String(req.socket.localPort ?? ''));
    appendForwarded(headers, 'x-forwarded-proto', 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http');
    if (headers['x-forwarded-host'] === undefined && headers.host !== undefined)
      headers['x-forwarded-host'] = headers.host;
    headers.host = target.host;
    const proxyReq = http.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: `${basePath}${req.url ?? '/'}`,
      headers,
      agent,
    });
    state.proxyReq = proxyReq;
    proxyReq.once('response', (answer) => relayAnswer(answer, res, state));
    proxyReq.on('error', (error: NodeJS.ErrnoException) => failed(error, req, res, state));
    limitStreamedBody(req, res, state, settings.bodyLimitBytes);
    req.pipe(proxyReq);
  }

  return {
    upstream,
    breaker,
    forward(req, res, forwarding) {
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > settings.bodyLimitBytes) {
        res.setHeader('connection', 'close');
        return answerWithProblem(res, bodyTooLarge(settings.bodyLimitBytes), forwarding);
      }
      const admission = breaker.admit();
      if (!admission.admitted)
        return answerWithProblem(res, upstreamCircuitOpen(upstream, admission.retryAfterMs), forwarding);

      // (Deleting only what is there keeps the headers object fast on the common path.)
      for (const name of FORGEABLE_IDENTITY) if (req.headers[name] !== undefined) delete req.headers[name];
      for (const name of HOP_BY_HOP) if (req.headers[name] !== undefined) delete req.headers[name];
      req.headers['x-request-id'] = forwarding.requestId;

      const state: InFlight = {
        ...forwarding,
        upstream,
        attempt: admission.attempt,
        startedAt: process.hrtime.bigint(),
        answered: false,
      };
      state.timer = setTimeout(() => {
        state.attempt.failed();
        cutOff(state);
        answerWithProblem(res, upstreamTimeout(upstream, timeoutMs), state);
      }, timeoutMs);
      res.once('close', () => {
        clearTimeout(state.timer);
        state.attempt.abandon();
        // The client left before the answer was complete: the service's work is not wanted.
        if (!res.writableFinished) state.proxyReq?.destroy();
        metrics.proxyRequests.inc({ upstream: upstream.name, status_code: String(res.statusCode) });
      });
      send(req, res, state);
    },
    close: () => agent.destroy(),
  };
}

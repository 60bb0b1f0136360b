// Forwarding to one service with http-proxy-middleware: bodies and responses stream through
// untouched (SSE included), the request id travels on, identity headers a client made up are
// removed, and every failure is a problem+json: 413 for a body over the limit, 504 when the
// service is slow to answer, 502 when it is down or its circuit is open.
import http from 'node:http';
import { createProxyMiddleware, type Plugin } from 'http-proxy-middleware';
import type { Logger } from '@azora/service-kit';
import { createCircuitBreaker, type Attempt, type CircuitBreaker } from '../domain/circuit-breaker';
import type { ProxySettings } from '../domain/settings';
import type { GatewayMetrics } from '../metrics';
import { answerWithProblem, bodyTooLarge, upstreamCircuitOpen, upstreamTimeout, upstreamUnreachable } from './proxy-problems';
import type { Upstream } from './upstreams';

/** Headers that claim an identity: only a verified token may do that, so they never pass. */
const FORGEABLE_IDENTITY = ['x-user-id', 'x-user-role', 'x-user-email', 'x-authenticated-user'];
/** Hop-by-hop headers of the client's connection, not of the gateway's to the service. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade'];

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

const inFlight = new WeakMap<http.IncomingMessage, InFlight>();

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
function limitStreamedBody(req: http.IncomingMessage, res: http.ServerResponse, state: InFlight, limitBytes: number): void {
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

function events({ settings, metrics, logger }: ProxyDeps): Plugin {
  return (proxy) => {
    proxy.on('proxyReq', (proxyReq, req, res) => {
      const state = inFlight.get(req);
      if (!state) return;
      state.proxyReq = proxyReq;
      if (state.answered) proxyReq.destroy();
      else limitStreamedBody(req, res, state, settings.bodyLimitBytes);
    });
    proxy.on('proxyRes', (_proxyRes, req) => {
      const state = inFlight.get(req);
      if (!state) return;
      clearTimeout(state.timer);
      state.attempt.succeeded();
      metrics.upstreamLatency.observe({ upstream: state.upstream.name }, Number(process.hrtime.bigint() - state.startedAt) / 1e9);
    });
    proxy.on('error', (error: NodeJS.ErrnoException, req, res) => {
      const state = inFlight.get(req);
      if (!state || state.answered) return;
      clearTimeout(state.timer);
      if (!('setHeader' in res) || res.destroyed || req.socket.destroyed) {
        // The client left first: nothing to answer and nothing learned about the service.
        state.attempt.abandon();
        return;
      }
      state.attempt.failed();
      logger.warn({ requestId: state.requestId, upstream: state.upstream.name, code: error.code, err: error }, 'upstream request failed');
      answerWithProblem(res, upstreamUnreachable(state.upstream, error.code ?? error.message), state);
    });
    proxy.on('econnreset', (_error, req) => {
      inFlight.get(req)?.attempt.abandon();
    });
  };
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
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 128, scheduling: 'lifo' });
  const proxy = createProxyMiddleware({ target: upstream.url, agent, changeOrigin: true, xfwd: true, ejectPlugins: true, plugins: [events(deps)] });

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
      if (!admission.admitted) return answerWithProblem(res, upstreamCircuitOpen(upstream, admission.retryAfterMs), forwarding);

      // (Deleting only what is there keeps the headers object fast on the common path.)
      for (const name of FORGEABLE_IDENTITY) if (req.headers[name] !== undefined) delete req.headers[name];
      for (const name of HOP_BY_HOP) if (req.headers[name] !== undefined) delete req.headers[name];
      req.headers['x-request-id'] = forwarding.requestId;

      const state: InFlight = { ...forwarding, upstream, attempt: admission.attempt, startedAt: process.hrtime.bigint(), answered: false };
      inFlight.set(req, state);
      state.timer = setTimeout(() => {
        state.attempt.failed();
        cutOff(state);
        answerWithProblem(res, upstreamTimeout(upstream, timeoutMs), state);
      }, timeoutMs);
      res.once('close', () => {
        clearTimeout(state.timer);
        state.attempt.abandon();
        metrics.proxyRequests.inc({ upstream: upstream.name, status_code: String(res.statusCode) });
      });
      void proxy(req, res, () => undefined);
    },
    close: () => agent.destroy(),
  };
}

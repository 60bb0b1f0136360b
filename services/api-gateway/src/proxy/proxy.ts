// Forwarding to one service: one http-proxy-middleware per public prefix, over pooled keep-alive
// connections. Bodies and answers stream through untouched (SSE included), the request id
// travels on, forged identity and hop-by-hop headers stay behind, and X-Forwarded-* name this
// hop. Before anything reaches the service the gateway refuses service-only routes (404), bodies
// over the limit (413), writes over the caller's limit (429) and calls to an open circuit (503);
// while the exchange runs it answers a client whose body stalls (408), a service that is slow
// (504) or unreachable (502). See exchange.ts for what counts against the service's circuit.
import http from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { Logger } from '@azora/service-kit';
import { createCircuitBreaker, type CircuitBreaker } from '../domain/circuit-breaker';
import type { ProxySettings } from '../domain/settings';
import type { GatewayMetrics } from '../metrics';
import { startExchange, exchangeOf, type ExchangeDeps } from './exchange';
import { prepareRequestHeaders } from './forwarded-headers';
import {
  answerWithProblem,
  bodyTooLarge,
  serviceOnlyRoute,
  upstreamCircuitOpen,
  writesRateLimited,
} from './proxy-problems';
import type { ServiceOnlyOperations } from './service-only-operations';
import { isServiceOnly } from './service-only-paths';
import { watchRecovery } from './upstream-recovery';
import type { Upstream } from './upstreams';
import { isWrite, type WriteLimit } from './write-limit';

export interface ProxyDeps {
  settings: ProxySettings;
  metrics: GatewayMetrics;
  logger: Logger;
  writeLimit: WriteLimit;
  /** Routes the services declare for other services only, learned from their documents. */
  serviceOnly?: Pick<ServiceOnlyOperations, 'isServiceOnly'>;
}

export interface ProxyRoute {
  readonly upstream: Upstream;
  readonly breaker: CircuitBreaker;
  /** Express middleware mounted at /api/<prefix>: req.url is already the path on the service. */
  readonly handle: RequestHandler;
  close(): void;
}

/** The route the request metrics record for every proxied request: /api/<prefix>/* (see service-kit's routeTemplate). */
const PROXIED_ROUTE = Object.freeze({ path: '/*' });

const context = (req: Request) => ({ instance: req.originalUrl, requestId: req.id });

/** The target as http-proxy reads it: given as a string it would be parsed again for every request. */
function proxyTarget(url: string) {
  const { protocol, host, hostname, port, pathname } = new URL(url);
  return { protocol, host, hostname, port, path: pathname.replace(/\/+$/, '') };
}

export function createProxyRoute(
  upstream: Upstream,
  { settings, metrics, logger, writeLimit, serviceOnly }: ProxyDeps,
): ProxyRoute {
  const labels = { upstream: upstream.name };
  const breaker = createCircuitBreaker({
    failureThreshold: settings.breakerFailureThreshold,
    retryAfterMs: settings.breakerProbeIntervalMs,
    onChange: (state) => {
      metrics.setBreakerState(upstream.name, state);
      logger.warn({ upstream: upstream.name, state }, `circuit to ${upstream.name} is ${state}`);
      if (state === 'open') recovery.start();
    },
  });
  const recovery = watchRecovery({ upstream, breaker, intervalMs: settings.breakerProbeIntervalMs, logger });
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
  const exchangeDeps: ExchangeDeps = {
    upstream,
    metrics,
    logger,
    answerTimeoutMs: settings.timeouts[upstream.prefix] ?? settings.timeoutMs,
    bodyTimeoutMs: settings.bodyTimeoutMs,
    bodyLimitBytes: settings.bodyLimitBytes,
  };

  const proxy = createProxyMiddleware<Request, Response>({
    target: proxyTarget(upstream.url),
    // The service's own Host; X-Forwarded-For/-Port/-Proto appended to, X-Forwarded-Host kept or set.
    changeOrigin: true,
    xfwd: true,
    agent,
    // The answer is relayed by the exchange, which drops the service's hop-by-hop headers.
    selfHandleResponse: true,
    // The default plugins log through console, answer errors with text/plain and subscribe the
    // `on` handlers; the one plugin here subscribes the exchange's handlers to http-proxy's events.
    ejectPlugins: true,
    plugins: [
      (server) => {
        server.on('start', (_req, res) => exchangeOf(res)?.started());
        server.on('proxyReq', (proxyReq, _req, res) => exchangeOf(res)?.sending(proxyReq));
        server.on('proxyRes', (proxyRes, _req, res) => exchangeOf(res)?.answered(proxyRes));
        server.on('error', (error, req, res) => {
          if (res instanceof http.ServerResponse) exchangeOf(res as Response)?.failed(error, req);
        });
      },
    ],
  });

  function forward(req: Request, res: Response, next: (error?: unknown) => void): void {
    const admission = breaker.admit();
    if (!admission.admitted)
      return answerWithProblem(res, upstreamCircuitOpen(upstream, admission.retryAfterMs), context(req));
    prepareRequestHeaders(req.headers, req.id);
    startExchange(req, res, admission.attempt, exchangeDeps);
    void proxy(req, res, next);
  }

  const handle: RequestHandler = (req, res, next) => {
    (req as { route?: unknown }).route = PROXIED_ROUTE;
    if (isServiceOnly(req.url) || serviceOnly?.isServiceOnly(upstream.name, req.method, req.url))
      return answerWithProblem(res, serviceOnlyRoute(req.method, req.originalUrl), context(req));
    if (Number(req.headers['content-length'] ?? 0) > settings.bodyLimitBytes) {
      res.setHeader('connection', 'close');
      return answerWithProblem(res, bodyTooLarge(settings.bodyLimitBytes), context(req));
    }
    if (!isWrite(req.method)) return forward(req, res, next);
    writeLimit.overLimit(req).then((waitMs) => {
      if (waitMs === undefined) return forward(req, res, next);
      metrics.writesRateLimited.inc(labels);
      answerWithProblem(res, writesRateLimited(waitMs), context(req));
    }, next);
  };

  return {
    upstream,
    breaker,
    handle,
    close() {
      recovery.stop();
      agent.destroy();
    },
  };
}

// One proxied request in flight: its deadlines, what it tells the service's circuit, and how
// the answer reaches the client. Two deadlines, one after the other. First the client has
// `bodyTimeoutMs` to send its body: a body that stalls is the client's doing, so it gets 408 and
// the circuit never hears of it (a service that stops reading is another matter: that is the
// service's failure). Once the body has fully arrived the service has `answerTimeoutMs` to
// answer with its headers, or the client gets 504 and the circuit counts a failure. A client
// that leaves cancels the call to the service and counts for nothing.
import type http from 'node:http';
import type { Request, Response } from 'express';
import type { DomainError, Logger } from '@azora/service-kit';
import type { Attempt } from '../domain/circuit-breaker';
import type { GatewayMetrics } from '../metrics';
import { answerHeaders } from './forwarded-headers';
import { answerWithProblem, bodyTimeout, bodyTooLarge, upstreamTimeout, upstreamUnreachable } from './proxy-problems';
import type { Upstream } from './upstreams';

export interface ExchangeDeps {
  upstream: Upstream;
  metrics: GatewayMetrics;
  logger: Logger;
  answerTimeoutMs: number;
  bodyTimeoutMs: number;
  bodyLimitBytes: number;
}

/** What http-proxy-middleware's events report about the request, by its response. */
export interface Exchange {
  /** The request to the service is about to stream (http-proxy's `start`). */
  started(): void;
  /** The request to the service has a connection (`proxyReq`). */
  sending(proxyReq: http.ClientRequest): void;
  /** The service answered with its status and headers (`proxyRes`). */
  answered(proxyRes: http.IncomingMessage): void;
  /** The request to the service, or the client's request stream, failed (`error`). */
  failed(error: NodeJS.ErrnoException, req: http.IncomingMessage): void;
}

const KEY = 'gatewayExchange';

export const exchangeOf = (res: Response): Exchange | undefined => res.locals[KEY] as Exchange | undefined;

export function startExchange(req: Request, res: Response, attempt: Attempt, deps: ExchangeDeps): void {
  const { upstream, metrics, logger, answerTimeoutMs, bodyTimeoutMs, bodyLimitBytes } = deps;
  const labels = { upstream: upstream.name };
  const where = { instance: req.originalUrl, requestId: req.id };
  const startedAt = process.hrtime.bigint();
  // body: the client is sending; waiting: the service has it all; relaying: the service answers;
  // over: the gateway answered itself, or the client left.
  let phase: 'body' | 'waiting' | 'relaying' | 'over' = 'body';
  let timer: NodeJS.Timeout | undefined;
  let proxyReq: http.ClientRequest | undefined;

  function answerInstead(error: DomainError): void {
    // The rest of a body still on its way is not wanted: reading it only to discard it keeps a
    // client that is slow, or a body that is large, on the connection for nothing.
    if (phase === 'body') res.setHeader('connection', 'close');
    phase = 'over';
    clearTimeout(timer);
    proxyReq?.destroy();
    answerWithProblem(res, error, where);
  }

  function serviceTooSlow(waitedMs: number): void {
    attempt.failed();
    answerInstead(upstreamTimeout(upstream, waitedMs));
  }

  function bodyOverdue(): void {
    // The body waits at the gateway because the service stopped taking it: the service's fault.
    if (proxyReq?.writableNeedDrain) return serviceTooSlow(bodyTimeoutMs);
    attempt.abandon();
    metrics.stalledRequests.inc(labels);
    answerInstead(bodyTimeout(bodyTimeoutMs));
  }

  function awaitAnswer(): void {
    if (phase !== 'body') return;
    phase = 'waiting';
    clearTimeout(timer);
    timer = setTimeout(() => serviceTooSlow(answerTimeoutMs), answerTimeoutMs);
  }

  /** A chunked body has no length to check up front: it is counted as it streams. */
  function countChunkedBody(): void {
    if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] === undefined) return;
    let received = 0;
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= bodyLimitBytes) return;
      req.off('data', count);
      req.unpipe();
      attempt.abandon();
      answerInstead(bodyTooLarge(bodyLimitBytes));
    };
    req.on('data', count);
  }

  const exchange: Exchange = {
    // Called just before the body is piped on: a 'data' listener added earlier would set the body
    // flowing while http-proxy-middleware is still preparing, and lose what flowed.
    started: countChunkedBody,
    sending(request) {
      proxyReq = request;
      if (phase === 'over') request.destroy();
    },
    answered(proxyRes) {
      clearTimeout(timer);
      attempt.succeeded();
      metrics.upstreamLatency.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
      if (phase === 'over' || res.destroyed) {
        proxyRes.destroy();
        return;
      }
      phase = 'relaying';
      res.statusCode = proxyRes.statusCode ?? 502;
      if (proxyRes.statusMessage) res.statusMessage = proxyRes.statusMessage;
      const headers = answerHeaders(proxyRes.headers);
      for (const name in headers) res.setHeader(name, headers[name]!);
      // A service that dies mid-answer leaves a cut-off response: the client sees it end early.
      proxyRes.once('error', () => res.destroy());
      proxyRes.once('aborted', () => res.destroy());
      proxyRes.pipe(res);
    },
    failed(error, request) {
      if (phase === 'over' || phase === 'relaying') return;
      clearTimeout(timer);
      if (request.errored || res.destroyed || request.socket.destroyed) {
        // The client's side broke or left first: nothing to answer, nothing learned about the service.
        phase = 'over';
        attempt.abandon();
        return;
      }
      attempt.failed();
      logger.warn(
        { requestId: req.id, upstream: upstream.name, code: error.code, err: error },
        'upstream request failed',
      );
      answerInstead(upstreamUnreachable(upstream, error.code ?? error.message));
    },
  };
  res.locals[KEY] = exchange;

  res.once('close', () => {
    phase = 'over';
    clearTimeout(timer);
    attempt.abandon();
    // The client left before the answer was complete: the service's work is not wanted.
    if (!res.writableFinished) proxyReq?.destroy();
    metrics.proxyRequests.inc({ upstream: upstream.name, status_code: String(res.statusCode) });
  });
  if (req.complete) awaitAnswer();
  else {
    timer = setTimeout(bodyOverdue, bodyTimeoutMs);
    req.once('end', awaitAnswer);
  }
}

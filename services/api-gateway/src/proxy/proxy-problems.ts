// How a proxied request fails: a route the service keeps to itself (404), a body too large
// (413) or too slow to arrive (408), too many writes (429), the service down (502), slow (504)
// or its circuit open (503, fast, with Retry-After). Always problem+json with the same members
// as service-kit's error handler, never a hang and never an HTML page.
import type { ServerResponse } from 'node:http';
import { DomainError, problemFor, sendProblem } from '@azora/service-kit';
import type { Upstream } from './upstreams';

export const upstreamUnreachable = (upstream: Upstream, reason: string) =>
  new DomainError(
    'gateway.upstream_unavailable',
    `${upstream.title} (${upstream.name}) could not be reached: ${reason}`,
    { extras: { upstream: upstream.name } },
  );

export const upstreamCircuitOpen = (upstream: Upstream, retryAfterMs: number) =>
  new DomainError(
    'gateway.circuit_open',
    `${upstream.title} (${upstream.name}) failed repeatedly; the gateway calls it again as soon as it reports ready`,
    { extras: { upstream: upstream.name, circuit: 'open' }, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) },
  );

export const upstreamTimeout = (upstream: Upstream, timeoutMs: number) =>
  new DomainError(
    'gateway.upstream_timeout',
    `${upstream.title} (${upstream.name}) did not answer within ${timeoutMs} ms`,
    { extras: { upstream: upstream.name } },
  );

export const bodyTooLarge = (limitBytes: number) =>
  new DomainError(
    'request.body_too_large',
    `The request body is larger than the ${limitBytes} bytes the gateway accepts`,
  );

export const bodyTimeout = (timeoutMs: number) =>
  new DomainError('request.timeout', `The request body did not arrive within ${timeoutMs} ms`);

export const writesRateLimited = (retryAfterMs: number) =>
  new DomainError('request.rate_limited', 'Too many writes in a short time; retry later', {
    retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
  });

export const serviceOnlyRoute = (method: string, path: string) =>
  new DomainError('route.not_found', `No route for ${method} ${path}`);

/** Answers `error` as problem+json; a response already under way can only be cut off. */
export function answerWithProblem(
  res: ServerResponse,
  error: DomainError,
  context: { instance: string; requestId: string },
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendProblem(res, problemFor(error, context), error.headers);
}

// How a proxied request fails: the service is down (502), slow (504), its circuit is open
// (502, fast, with Retry-After), the body is too large (413), the token is refused (401).
// Always problem+json with the same members as service-kit's error handler, never a hang and
// never an HTML page. Written on the raw response: proxied requests do not pass through Express.
import type { ServerResponse } from 'node:http';
import { DomainError, problemFor, sendProblem } from '@azora/service-kit';
import type { Upstream } from './upstreams';

export const upstreamUnreachable = (upstream: Upstream, reason: string) =>
  new DomainError(
    'gateway.upstream_unavailable',
    `${upstream.title} (${upstream.name}) could not be reached: ${reason}`,
    { extras: { upstream: upstream.name } },
  );

export const upstreamCircuitOpen = (upstream: Upstream, retryAfterMs: number) => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new DomainError(
    'gateway.upstream_unavailable',
    `${upstream.title} (${upstream.name}) failed repeatedly; the gateway stops calling it for ${seconds} s`,
    { extras: { upstream: upstream.name, circuit: 'open' }, retryAfterSeconds: seconds },
  );
};

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

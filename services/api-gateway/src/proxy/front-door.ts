// The gateway's front door. Requests for /api/<prefix>/... go straight to their service's proxy
// without entering Express (whose router, parsers and per-request logger would cost more than
// the proxying itself); everything else goes to the Express app. A proxied request still gets
// what every request gets there: a request id, the security and CORS headers, the refusal of
// service credentials and of invalid access tokens, a log line and the request-duration metric.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  DomainError,
  REQUEST_ID_HEADER,
  SERVICE_TOKEN_TYPE,
  toDomainError,
  type Logger,
  type Metrics,
  type UserTokenVerifier,
} from '@azora/service-kit';
import { serviceCredentialRefused } from '../domain/problems';
import { headerOf } from '../keys/verified-tokens';
import type { Forwarding, ProxyRoute } from './proxy';
import { answerWithProblem } from './proxy-problems';

/** Connect-style middleware that only needs node's request and response (helmet, cors). */
export type EdgeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface FrontDoorDeps {
  /** Everything that is not proxied. */
  app: RequestListener;
  /** By public prefix: /api/<prefix>/... */
  routes: ReadonlyMap<string, ProxyRoute>;
  verifier: UserTokenVerifier & { isVerified(token: string): boolean };
  /** Run in order before a request is proxied; one that answers (a CORS preflight) ends it. */
  middleware: readonly EdgeMiddleware[];
  logger: Logger;
  metrics: Pick<Metrics, 'httpRequestDuration'>;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** '/api/mint/wallet?x=1' -> ['mint', '/wallet?x=1']; null for any other path. */
export function splitPublicPath(url: string): [prefix: string, path: string] | null {
  if (!url.startsWith('/api/')) return null;
  let end = 5;
  while (end < url.length && url[end] !== '/' && url[end] !== '?') end += 1;
  const rest = url.slice(end);
  return [url.slice(5, end), rest === '' || rest.startsWith('?') ? `/${rest}` : rest];
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() || undefined : undefined;
}

export function createFrontDoor({
  app,
  routes,
  verifier,
  middleware,
  logger,
  metrics,
}: FrontDoorDeps): RequestListener {
  function observe(
    req: IncomingMessage,
    res: ServerResponse,
    prefix: string,
    requestId: string,
    started: bigint,
  ): void {
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.statusCode;
      metrics.httpRequestDuration.observe(
        { method: req.method ?? 'GET', route: `/api/${prefix}/*`, status_code: String(status) },
        seconds,
      );
      const level = status >= 500 ? 'error' : 'info';
      if (logger.isLevelEnabled(level)) {
        logger[level](
          {
            requestId,
            method: req.method,
            url: `/api/${prefix}${req.url ?? ''}`,
            status,
            durationMs: Math.round(seconds * 10_000) / 10,
          },
          'request completed',
        );
      }
    });
  }

  /** The caller's token, checked before the service is bothered with it (the service checks again). */
  function admit(req: IncomingMessage, res: ServerResponse, forwarding: Forwarding, proceed: () => void): void {
    const token = bearer(req);
    if (!token || verifier.isVerified(token)) return proceed();
    if (headerOf(token).typ === SERVICE_TOKEN_TYPE)
      return answerWithProblem(res, serviceCredentialRefused(), forwarding);
    verifier.verify(token).then(proceed, (error: unknown) => {
      const problem =
        toDomainError(error) ?? new DomainError('internal', 'An unexpected error occurred; it has been logged');
      if (problem.status >= 500)
        logger.error({ err: error, requestId: forwarding.requestId }, 'token verification failed');
      answerWithProblem(res, problem, forwarding);
    });
  }

  function runMiddleware(req: IncomingMessage, res: ServerResponse, index: number, done: () => void): void {
    const next = middleware[index];
    if (!next) return done();
    next(req, res, (error?: unknown) => {
      if (error) {
        res.statusCode = 500;
        res.end();
      } else runMiddleware(req, res, index + 1, done);
    });
  }

  return (req, res) => {
    const split = splitPublicPath(req.url ?? '/');
    const route = split ? routes.get(split[0]) : undefined;
    if (!split || !route) return app(req, res);
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const forwarding: Forwarding = { requestId, instance: req.url ?? '/' };
    res.setHeader(REQUEST_ID_HEADER, requestId);
    observe(req, res, split[0], requestId, process.hrtime.bigint());
    runMiddleware(req, res, 0, () =>
      admit(req, res, forwarding, () => {
        req.url = split[1];
        route.forward(req, res, forwarding);
      }),
    );
  };
}

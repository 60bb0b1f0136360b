// Errors: DomainError carries a code from the problem catalog (packages/contracts) and never an
// HTTP status; the one error middleware maps every error to an RFC 9457 problem+json response,
// taking status, title and type from the catalog.
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError, type z } from 'zod';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEMS,
  problemTypeUri,
  type Problem,
  type ProblemCode,
  type ProblemIssue,
} from '@azora/contracts';
import { hostileInputIssues, unstorableTextIssues } from './input-guards';

export interface DomainErrorOptions {
  /** Extra members for the problem body (must be safe to show the caller). */
  extras?: Record<string, unknown>;
  /** Response headers to add, e.g. WWW-Authenticate. */
  headers?: Record<string, string>;
  /** Seconds after which a retry may succeed: sent as Retry-After. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly code: ProblemCode;
  readonly detail: string | undefined;
  readonly extras: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    code: ProblemCode,
    detail?: string,
    { extras = {}, headers = {}, retryAfterSeconds, cause }: DomainErrorOptions = {},
  ) {
    super(detail ?? code, cause === undefined ? undefined : { cause });
    this.name = 'DomainError';
    this.code = code;
    this.detail = detail;
    this.extras = extras;
    this.headers =
      retryAfterSeconds === undefined
        ? headers
        : { ...headers, 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  }

  /** The HTTP status the catalog gives this error's code. */
  get status(): number {
    return PROBLEMS[this.code].status;
  }

  get title(): string {
    return PROBLEMS[this.code].title;
  }
}

export function zodIssues(error: ZodError, prefix?: string): ProblemIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(root)',
    message: issue.message,
    code: issue.code,
  }));
}

/** A 400 naming each bad field. */
export function invalidRequest(issues: ProblemIssue[]): DomainError {
  return new DomainError('request.validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), {
    extras: { issues },
  });
}

/** 400 request.invalid_cursor: `query.cursor` is not one the listing gave out (forged, mangled or from another list). */
export function invalidCursor(): DomainError {
  return new DomainError('request.invalid_cursor', 'query.cursor: not a cursor this listing returned', {
    extras: { issues: [{ path: 'query.cursor', message: 'not a cursor this listing returned' }] },
  });
}

/** Parses request input; a failure is a 400 whose issues name `where.field`. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params' | 'headers',
): z.infer<S> {
  const hostile = where === 'query' ? hostileInputIssues({ query: value }) : unstorableTextIssues(value, where);
  if (hostile.length > 0) throw invalidRequest(hostile);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationError(result.error, where);
}

export function validationError(error: ZodError, where?: string): DomainError {
  return invalidRequest(zodIssues(error, where));
}

/** The problem body of `error`, as every Azora response carries it. */
export function problemFor(
  error: DomainError,
  { instance, requestId }: { instance: string; requestId?: string | undefined },
): Problem {
  return {
    ...error.extras,
    type: problemTypeUri(error.code),
    title: error.title,
    status: error.status,
    ...(error.detail === undefined ? {} : { detail: error.detail }),
    code: error.code,
    instance,
    ...(requestId ? { requestId } : {}),
  };
}

/** Writes a problem on any Node response (Express's or a raw one, as the gateway's proxy has). */
export function sendProblem(res: ServerResponse, problem: Problem, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const body = JSON.stringify(problem);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = problem.status;
  res.setHeader('content-type', PROBLEM_CONTENT_TYPE);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/** The last route: anything not matched is a 404 problem. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new DomainError('route.not_found', `No route for ${req.method} ${req.path}`));
};

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
  code?: string;
}

/** Maps body-parser, router and other http-errors style errors to a DomainError. */
function fromHttpError(error: HttpishError): DomainError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return new DomainError('request.malformed_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new DomainError('request.body_too_large', 'The request body is larger than this route accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError('request.unsupported_encoding', error.message ?? 'Unsupported encoding');
    case 'request.aborted':
    case 'request.size.invalid':
      return new DomainError('request.invalid', 'The request body ended before its declared length');
    default:
      break;
  }
  // The router's "Failed to decode param" (a malformed percent-encoding in a path) is a URIError
  // with status 400 but no `expose`: still the caller's mistake.
  if (error instanceof URIError) return new DomainError('request.invalid', 'The path has a malformed percent-encoding');
  const status = error.status ?? error.statusCode;
  if (status === 408) return new DomainError('request.timeout', 'The request was not received in time');
  if (typeof status === 'number' && status >= 400 && status < 500 && error.expose) {
    return new DomainError('request.invalid', error.message ?? 'Invalid request');
  }
  return null;
}

/** PostgreSQL's SQLSTATE classes that mean the database cannot be reached or is going away. */
const UNAVAILABLE_SQLSTATES = /^(08|53|57P0[1-4])/;
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/** A database that is down or unreachable: the caller may retry; it is not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
  return (
    typeof message === 'string' &&
    /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(
      message,
    )
  );
}

/** Text PostgreSQL refuses to store (a NUL character): input the request validation missed. */
function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '22021' || code === '22P05';
}

export function toDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  if (error instanceof ZodError) return validationError(error);
  if (typeof error !== 'object' || error === null) return null;
  if (isDatabaseUnavailable(error)) {
    return new DomainError('service.dependency_unavailable', 'The database is unavailable; try again shortly', {
      extras: { dependency: 'database' },
      retryAfterSeconds: 5,
    });
  }
  if (isUnstorableText(error)) {
    return new DomainError('request.invalid', 'The request contains characters that cannot be stored');
  }
  return fromHttpError(error as HttpishError);
}

/** The single error middleware: DomainError, zod, body-parser, database and unknown errors to problem+json. */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const known = toDomainError(error);
  const domainError = known ?? new DomainError('internal', 'An unexpected error occurred; it has been logged');
  const log = req.log;
  if (domainError.status >= 500 && domainError.code !== 'service.dependency_unavailable')
    log?.error({ err: error }, 'request failed');
  else if (domainError.code === 'service.dependency_unavailable')
    log?.warn({ err: (error as Error).message }, 'dependency unavailable');
  else log?.debug({ code: domainError.code, detail: domainError.detail }, 'request rejected');
  sendProblem(res, problemFor(domainError, { instance: req.originalUrl, requestId: req.id }), domainError.headers);
};

// Errors: one error type with a stable code, and the one middleware that turns every error
// into an RFC 9457 problem+json response.
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError, type z } from 'zod';
import { PROBLEM_CONTENT_TYPE, type Problem, type ProblemIssue } from '@azora/contracts';

export interface AppErrorOptions {
  /** Stable, dotted and machine-readable: "wallet.insufficient_funds". */
  code: string;
  status: number;
  detail?: string;
  title?: string;
  /** Extra members for the problem body (must be safe to show the caller). */
  extras?: Record<string, unknown>;
  /** Response headers to add, e.g. Retry-After. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly title: string;
  readonly extras: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor({ code, status, detail, title, extras = {}, headers = {}, cause }: AppErrorOptions) {
    super(detail ?? code, cause === undefined ? undefined : { cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.title = title ?? STATUS_TITLES[status] ?? 'Error';
    this.extras = extras;
    this.headers = headers;
  }
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problemType(code: string): string {
  return `https://azora.dev/problems/${code}`;
}

export function zodIssues(error: ZodError, prefix?: string): ProblemIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(root)',
    message: issue.message,
    code: issue.code,
  }));
}

/** Parses request input; a failure is a 400 whose issues name `where.field`. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params' | 'headers',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationError(result.error, where);
}

export function validationError(error: ZodError, where?: string): AppError {
  const issues = zodIssues(error, where);
  return new AppError({
    code: 'request.validation_failed',
    status: 400,
    title: 'Invalid request',
    detail: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
    extras: { issues },
  });
}

/** The problem body of `error`, as every Azora response carries it. */
export function problemFor(
  error: AppError,
  { instance, requestId }: { instance: string; requestId?: string | undefined },
): Problem {
  return {
    ...error.extras,
    type: problemType(error.code),
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
  next(new AppError({ code: 'route.not_found', status: 404, detail: `No route for ${req.method} ${req.path}` }));
};

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
}

/** Maps body-parser and other http-errors style errors to an AppError. */
function fromHttpError(error: HttpishError): AppError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError({
        code: 'request.malformed_json',
        status: 400,
        detail: 'The request body is not valid JSON',
      });
    case 'entity.too.large':
      return new AppError({
        code: 'request.body_too_large',
        status: 413,
        detail: 'The request body is larger than this route accepts',
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError({
        code: 'request.unsupported_encoding',
        status: 415,
        detail: error.message ?? 'Unsupported encoding',
      });
    default:
      break;
  }
  const status = error.status ?? error.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && error.expose) {
    return new AppError({ code: 'request.invalid', status, detail: error.message ?? 'Invalid request' });
  }
  return null;
}

export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return validationError(error);
  if (typeof error === 'object' && error !== null) return fromHttpError(error as HttpishError);
  return null;
}

/** The single error middleware: AppError, zod, body-parser and unknown errors to problem+json. */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const known = toAppError(error);
  const appError =
    known ??
    new AppError({ code: 'internal', status: 500, detail: 'An unexpected error occurred; it has been logged' });
  const log = req.log;
  if (appError.status >= 500) log?.error({ err: error }, 'request failed');
  else log?.debug({ code: appError.code, detail: appError.detail }, 'request rejected');
  sendProblem(res, problemFor(appError, { instance: req.originalUrl, requestId: req.id }), appError.headers);
};

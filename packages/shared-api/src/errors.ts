// AzoraApiError: the one error every client method throws, built from an RFC 9457 problem body,
// from a response that is not a problem, or from a request that never got a response.
import type { ProblemIssue } from '@azora/contracts';
import { CLIENT_ERROR_CODES, type AzoraErrorCode } from './error-codes';
import { readProblem, type ApiProblem } from './problem-reader';

export interface AzoraApiErrorInit {
  status: number;
  type: string;
  title: string;
  detail?: string | undefined;
  requestId?: string | undefined;
  code: AzoraErrorCode;
  issues?: ProblemIssue[] | undefined;
  problem?: ApiProblem | undefined;
  cause?: unknown;
}

const BRAND = Symbol.for('@azora/shared-api/AzoraApiError');

export class AzoraApiError extends Error {
  /** HTTP status; 0 when no response arrived (network error, timeout, abort). */
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** From the problem body, else the x-request-id response header. */
  readonly requestId: string | undefined;
  /**
   * Stable dotted code to branch on, e.g. "wallet.insufficient_funds" or "client.network_error".
   * A code newer than this client is kept as the server sent it (see AzoraErrorCode).
   */
  readonly code: AzoraErrorCode;
  /** One entry per invalid field of a 400 validation problem. */
  readonly issues: ProblemIssue[];
  /** The whole problem body, including extension members (e.g. a 402's payment). */
  readonly problem: ApiProblem | undefined;

  constructor(init: AzoraApiErrorInit) {
    super(
      init.detail ? `${init.title}: ${init.detail}` : init.title,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'AzoraApiError';
    this.status = init.status;
    this.type = init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.code = init.code;
    this.issues = init.issues ?? [];
    this.problem = init.problem;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for an AzoraApiError from any copy of this package (ESM and CJS builds alike). */
export function isAzoraApiError(error: unknown): error is AzoraApiError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** An error from a received response: a problem body when there is one, else the bare status. */
export function errorFromResponse(
  status: number,
  body: unknown,
  requestIdHeader: string | undefined,
  statusText?: string,
): AzoraApiError {
  const problem = readProblem(body);
  if (problem) {
    return new AzoraApiError({
      status: problem.status,
      type: problem.type,
      title: problem.title,
      detail: problem.detail,
      requestId: problem.requestId ?? requestIdHeader,
      // A code this client does not know (a newer server's) is kept as it is: see AzoraErrorCode.
      code: problem.code as AzoraErrorCode,
      issues: problem.issues,
      problem,
    });
  }
  return new AzoraApiError({
    status,
    type: 'about:blank',
    title: statusText || `HTTP ${status}`,
    detail: `The server answered ${status} without a problem+json body`,
    requestId: requestIdHeader,
    code: CLIENT_ERROR_CODES.unexpectedResponse,
  });
}

/** An error for a request that got no response at all. */
export function errorWithoutResponse(
  kind: 'network' | 'timeout' | 'aborted',
  target: string,
  cause: unknown,
): AzoraApiError {
  const reason = cause instanceof Error && cause.message ? cause.message : undefined;
  const titles = {
    network: `Could not reach the Azora API at ${target}`,
    timeout: `The Azora API at ${target} did not answer in time`,
    aborted: 'The request was aborted',
  };
  return new AzoraApiError({
    status: 0,
    type: 'about:blank',
    title: titles[kind],
    detail:
      kind === 'network'
        ? `${reason ?? 'network error'} (is the gateway running, and does it allow this origin?)`
        : reason,
    code: CLIENT_ERROR_CODES[kind],
    cause,
  });
}

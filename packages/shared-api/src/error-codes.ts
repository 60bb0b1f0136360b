// The codes an AzoraApiError carries, as one union front ends can switch on: every problem code
// of the catalog in @azora/contracts (what a service may answer) plus the client's own codes for
// failures that produced no problem body.
import type { ProblemCode } from '@azora/contracts';

/** Codes the client gives failures that no problem body describes. */
export const CLIENT_ERROR_CODES = {
  /** Nothing answered at baseUrl (or the browser refused the answer, e.g. CORS). */
  network: 'client.network_error',
  /** No answer within timeoutMs. */
  timeout: 'client.timeout',
  /** The caller's AbortSignal fired. */
  aborted: 'client.aborted',
  /** An answer that is not a problem+json error (a proxy's HTML 502) or not the expected content. */
  unexpectedResponse: 'client.unexpected_response',
  /** A refresh was needed but the client holds no refresh token (or was signed out meanwhile). */
  noRefreshToken: 'client.no_refresh_token',
  /** An AI reply stream sent an error event that was not a problem. */
  streamFailed: 'client.stream_failed',
} as const;

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[keyof typeof CLIENT_ERROR_CODES];

/**
 * Every code an AzoraApiError can carry from the API version this client was built against. A
 * server newer than the client may answer a code not listed here: it is kept as it is, so it
 * reaches a switch's `default` branch (`error.problem.code` is its loosely typed `string`).
 */
export type AzoraErrorCode = ProblemCode | ClientErrorCode;

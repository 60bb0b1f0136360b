// The JSON transport: one axios instance whose interceptors add the Bearer token, refresh an
// expired access token once and retry, retry an idempotent request once after a short 503
// Retry-After, and turn every failure into an AzoraApiError.
import axios, {
  type AxiosError,
  type AxiosInstance,
  type AxiosRequestConfig,
  type InternalAxiosRequestConfig,
  type Method,
} from 'axios';
import { AzoraApiError, errorFromResponse, errorWithoutResponse } from './errors';
import { type Session } from './session';
import { mayRepeat, pause, retryAfterMs, type UnavailableRetryPolicy } from './unavailable-retry';

/** Per-call options every client method accepts as its last argument. */
export interface RequestOptions {
  /** Aborts the request; the call then rejects with an AzoraApiError whose code is "client.aborted". */
  signal?: AbortSignal | undefined;
  /** Extra request headers. */
  headers?: Record<string, string> | undefined;
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

export interface RouteCall {
  method: Method;
  /** Path under baseUrl, path parameters already encoded (see `path`). */
  path: string;
  query?: object | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  /** Sent without the access token and never refreshed-and-retried (login, register, refresh). */
  anonymous?: boolean | undefined;
}

export interface Transport {
  call<T>(route: RouteCall, options?: RequestOptions): Promise<T>;
  readonly baseUrl: string;
}

/** Private bookkeeping carried on the axios config between the interceptors. */
interface CallState {
  anonymous: boolean;
  sentWith: string | null;
  /** Already retried after a refresh. */
  retried: boolean;
  /** Already retried after a 503 with Retry-After. */
  retriedUnavailable: boolean;
}
type StatefulConfig = InternalAxiosRequestConfig & { azora?: CallState };

const REQUEST_ID_HEADER = 'x-request-id';

export interface TransportOptions {
  baseUrl: string;
  session: Session;
  timeoutMs: number;
  /** null: a 503 is never retried. */
  retryUnavailable: UnavailableRetryPolicy | null;
}

export function createTransport(options: TransportOptions): Transport {
  const { baseUrl, session, retryUnavailable } = options;
  const target = baseUrl || 'this origin';
  const http: AxiosInstance = axios.create({
    baseURL: baseUrl,
    timeout: options.timeoutMs,
    headers: { Accept: 'application/json, application/problem+json' },
    // skill=a&skill=b, the form Express and URLSearchParams read, not axios's default skill[]=a.
    paramsSerializer: { indexes: null },
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
  });

  http.interceptors.request.use((config: StatefulConfig) => {
    const state: CallState = config.azora ?? newCallState(false);
    const { accessToken } = session.getTokens();
    state.sentWith = state.anonymous ? null : accessToken;
    if (state.sentWith !== null) config.headers.set('Authorization', `Bearer ${state.sentWith}`);
    else if (state.anonymous) config.headers.delete('Authorization');
    config.azora = state;
    return config;
  });

  http.interceptors.response.use(undefined, async (error: unknown) => {
    if (error instanceof AzoraApiError) throw error;
    if (!axios.isAxiosError(error)) throw error;
    const config = error.config as StatefulConfig | undefined;
    const state = config?.azora;
    if (!config || !state) throw toApiError(error, target);
    if (error.response?.status === 401 && !state.anonymous && !state.retried && session.canRecover(state.sentWith)) {
      await session.renew(state.sentWith);
      state.retried = true;
      return http.request(config);
    }
    const delayMs = unavailableRetryDelay(error, config, state);
    if (delayMs !== undefined) {
      state.retriedUnavailable = true;
      await pause(delayMs, config.signal as AbortSignal | undefined).catch((reason: unknown) => {
        throw errorWithoutResponse('aborted', target, reason);
      });
      return http.request(config);
    }
    throw toApiError(error, target);
  });

  /** How long to wait before retrying a 503, or undefined when it is not to be retried. */
  function unavailableRetryDelay(error: AxiosError, config: StatefulConfig, state: CallState): number | undefined {
    if (!retryUnavailable || state.retriedUnavailable || error.response?.status !== 503) return undefined;
    if (!mayRepeat(config.method, (name) => config.headers.has(name))) return undefined;
    const delayMs = retryAfterMs(error.response.headers['retry-after'], Date.now());
    return delayMs !== undefined && delayMs <= retryUnavailable.maxDelayMs ? delayMs : undefined;
  }

  return {
    baseUrl,
    async call<T>(route: RouteCall, requestOptions: RequestOptions = {}): Promise<T> {
      const config: AxiosRequestConfig & { azora: CallState } = {
        method: route.method,
        url: route.path,
        params: route.query,
        data: route.body,
        headers: { ...route.headers, ...requestOptions.headers },
        ...(requestOptions.signal ? { signal: requestOptions.signal } : {}),
        azora: newCallState(route.anonymous ?? false),
      };
      const response = await http.request<T>(config);
      return (response.status === 204 ? undefined : response.data) as T;
    },
  };
}

function newCallState(anonymous: boolean): CallState {
  return { anonymous, sentWith: null, retried: false, retriedUnavailable: false };
}

function toApiError(error: AxiosError, target: string): AzoraApiError {
  const response = error.response;
  if (response) {
    const requestId = response.headers[REQUEST_ID_HEADER];
    return errorFromResponse(
      response.status,
      response.data,
      typeof requestId === 'string' ? requestId : undefined,
      response.statusText,
    );
  }
  if (axios.isCancel(error) || error.code === 'ERR_CANCELED') return errorWithoutResponse('aborted', target, error);
  if (error.code === 'ETIMEDOUT') return errorWithoutResponse('timeout', target, error);
  return errorWithoutResponse('network', target, error);
}

/** Builds a path from a template's literal parts and its parameters, each URI-encoded. */
export function path(strings: TemplateStringsArray, ...params: (string | number)[]): string {
  return strings.reduce(
    (built, part, i) => built + part + (i < params.length ? encodeURIComponent(String(params[i])) : ''),
    '',
  );
}

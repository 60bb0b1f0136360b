// createAzoraClient: one object per signed-in user (or anonymous visitor) with a namespace per
// service of the public API, sharing one token session, one axios transport and one SSE reader.
import type * as C from '@azora/contracts';
import { createAiApi } from './api/ai';
import { createAnalyticsApi } from './api/analytics';
import { createAuthApi } from './api/auth';
import { createEducationApi } from './api/education';
import { createForgeApi } from './api/forge';
import { createMintApi } from './api/mint';
import { createMonitoringApi } from './api/monitoring';
import { createNotificationsApi } from './api/notifications';
import { createPayApi } from './api/pay';
import { type Output } from './contract-types';
import { createEventStreamer, type FetchLike } from './event-stream';
import { createSession, type HeldTokens, type OnTokenRefresh } from './session';
import { createTransport } from './transport';
import { unavailableRetryPolicy, type UnavailableRetryPolicy } from './unavailable-retry';

export interface AzoraClientOptions {
  /** Where the gateway is, e.g. "http://127.0.0.1:4000"; "" for the page's own origin. */
  baseUrl: string;
  /** An access token to start with (e.g. restored from storage). */
  token?: string | undefined;
  /** A refresh token to start with, so that an expired `token` can be renewed. */
  refreshToken?: string | undefined;
  /** Called after every refresh with the rotated tokens, e.g. to persist them; awaited before the retry. */
  onTokenRefresh?: OnTokenRefresh | undefined;
  /** Milliseconds before a JSON request gives up (0: never). Default 30 000. Streams are not limited. */
  timeoutMs?: number | undefined;
  /** The fetch used for streams; defaults to globalThis.fetch at call time. */
  fetch?: FetchLike | undefined;
  /**
   * A request that may safely run twice (GET, HEAD, or one sent with an Idempotency-Key) answered
   * 503 with a Retry-After of at most `maxDelayMs` (default 5 000) is sent once more after that
   * delay. `false`: never. Other writes are never retried.
   */
  retryUnavailable?: boolean | Partial<UnavailableRetryPolicy> | undefined;
}

export function createAzoraClient(options: AzoraClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const session = createSession({
    accessToken: options.token,
    refreshToken: options.refreshToken,
    onTokenRefresh: options.onTokenRefresh,
    callRefresh: (refreshToken) =>
      transport.call<Output<typeof C.AuthResponse>>({
        method: 'POST',
        path: '/api/auth/refresh',
        body: { refreshToken },
        anonymous: true,
      }),
  });
  const transport = createTransport({
    baseUrl,
    session,
    timeoutMs: options.timeoutMs ?? 30_000,
    retryUnavailable: unavailableRetryPolicy(options.retryUnavailable),
  });
  const streamer = createEventStreamer({ baseUrl, session, fetch: options.fetch });

  return {
    auth: createAuthApi(transport, session),
    education: createEducationApi(transport),
    mint: createMintApi(transport),
    forge: createForgeApi(transport),
    ai: createAiApi(transport, streamer),
    pay: createPayApi(transport),
    notifications: createNotificationsApi(transport, streamer),
    analytics: createAnalyticsApi(transport),
    monitoring: createMonitoringApi(transport),

    /** The tokens held in memory (null when none). */
    getTokens(): HeldTokens {
      return session.getTokens();
    },
    /** Replaces the tokens given, e.g. ones restored from storage; null forgets one. */
    setTokens(tokens: { accessToken?: string | null; refreshToken?: string | null }): void {
      session.setTokens(tokens);
    },
    /** Forgets both tokens (without telling the server: see auth.logout). */
    clearTokens(): void {
      session.clearTokens();
    },
  };
}

export type AzoraClient = ReturnType<typeof createAzoraClient>;

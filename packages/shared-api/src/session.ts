// The signed-in session: the access and refresh tokens held in memory, and the single-flight
// refresh that every request (axios or the SSE fetch) shares when an access token expires.
import { type AuthResponse } from '@azora/contracts';
import { CLIENT_ERROR_CODES } from './error-codes';
import { AzoraApiError, isAzoraApiError } from './errors';

export interface AzoraTokens {
  accessToken: AuthResponse['accessToken'];
  refreshToken: AuthResponse['refreshToken'];
}

export interface HeldTokens {
  accessToken: string | null;
  refreshToken: string | null;
}

export type OnTokenRefresh = (tokens: AzoraTokens, response: AuthResponse) => void | Promise<void>;

export interface Session {
  getTokens(): HeldTokens;
  /** Replaces the tokens given; a token left out is kept, null forgets it. */
  setTokens(tokens: { accessToken?: string | null | undefined; refreshToken?: string | null | undefined }): void;
  clearTokens(): void;
  /** Stores the tokens of a login, register or refresh response. */
  adopt(response: AuthResponse): void;
  /** Whether a 401 for a request sent with `sentWith` may be cured by refreshing or by a newer token. */
  canRecover(sentWith: string | null): boolean;
  /**
   * Makes sure the access token is newer than `sentWith`: when another request already refreshed
   * it, resolves at once; otherwise refreshes.
   */
  renew(sentWith: string | null): Promise<void>;
  /** Trades the held refresh token for new tokens; concurrent callers share one call. */
  refresh(): Promise<AuthResponse>;
}

export interface SessionOptions {
  accessToken?: string | undefined;
  refreshToken?: string | undefined;
  onTokenRefresh?: OnTokenRefresh | undefined;
  /** POST /api/auth/refresh without the access token and without a refresh-and-retry of its own. */
  callRefresh(refreshToken: string): Promise<AuthResponse>;
}

export function createSession(options: SessionOptions): Session {
  let accessToken = options.accessToken ?? null;
  let refreshToken = options.refreshToken ?? null;
  let inflight: Promise<AuthResponse> | null = null;
  /** Counts clearTokens calls, so that a refresh that was under way when they ran is discarded. */
  let signOuts = 0;

  const session: Session = {
    getTokens: () => ({ accessToken, refreshToken }),
    setTokens(tokens) {
      if (tokens.accessToken !== undefined) accessToken = tokens.accessToken;
      if (tokens.refreshToken !== undefined) refreshToken = tokens.refreshToken;
    },
    clearTokens() {
      signOuts++;
      accessToken = null;
      refreshToken = null;
    },
    adopt(response) {
      accessToken = response.accessToken;
      refreshToken = response.refreshToken;
    },
    canRecover(sentWith) {
      return refreshToken !== null || (accessToken !== null && accessToken !== sentWith);
    },
    async renew(sentWith) {
      if (accessToken !== null && accessToken !== sentWith) return;
      await session.refresh();
    },
    refresh() {
      inflight ??= refresh().finally(() => {
        inflight = null;
      });
      return inflight;
    },
  };

  async function refresh(): Promise<AuthResponse> {
    const held = refreshToken;
    if (held === null) throw noRefreshToken();
    const signOutsBefore = signOuts;
    let response: AuthResponse;
    try {
      response = await options.callRefresh(held);
    } catch (error) {
      if (isAzoraApiError(error) && isVerdictOnToken(error.status)) session.clearTokens();
      throw error;
    }
    // Signed out meanwhile (logout, clearTokens): the new tokens must not sign the user back in.
    if (signOuts !== signOutsBefore) throw noRefreshToken();
    session.adopt(response);
    await options.onTokenRefresh?.(
      { accessToken: response.accessToken, refreshToken: response.refreshToken },
      response,
    );
    return response;
  }

  return session;
}

/**
 * A rejected refresh token (revoked, reused, expired, malformed: 400/401/403…) ends the session.
 * A network error, a 5xx, a 408 or a 429 says nothing about the token: it is kept for a later try.
 */
function isVerdictOnToken(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function noRefreshToken(): AzoraApiError {
  return new AzoraApiError({
    status: 401,
    type: 'about:blank',
    title: 'Not signed in',
    detail: 'The client holds no refresh token: sign in (or call setTokens) first',
    code: CLIENT_ERROR_CODES.noRefreshToken,
  });
}

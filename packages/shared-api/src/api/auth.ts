// auth: the gateway's own routes under /api/auth. Register, login and refresh store the tokens
// they return in the client's session; logout forgets them. Admins set users' grants here too.
import type * as C from '@azora/contracts';
import { type Input, type Output } from '../contract-types';
import { type Session } from '../session';
import { path, type RequestOptions, type Transport } from '../transport';

type AuthResponse = Output<typeof C.AuthResponse>;

export function createAuthApi(transport: Transport, session: Session) {
  return {
    /** POST /api/auth/register → 201; the client keeps the returned tokens. */
    async register(body: Input<typeof C.RegisterRequest>, options?: RequestOptions): Promise<AuthResponse> {
      const response = await transport.call<AuthResponse>(
        { method: 'POST', path: '/api/auth/register', body, anonymous: true },
        options,
      );
      session.adopt(response);
      return response;
    },

    /** POST /api/auth/login; the client keeps the returned tokens. */
    async login(body: Input<typeof C.LoginRequest>, options?: RequestOptions): Promise<AuthResponse> {
      const response = await transport.call<AuthResponse>(
        { method: 'POST', path: '/api/auth/login', body, anonymous: true },
        options,
      );
      session.adopt(response);
      return response;
    },

    /**
     * POST /api/auth/refresh with the held refresh token (or the one given), which the gateway
     * rotates. Shares the call with any automatic refresh in flight; calls onTokenRefresh.
     */
    async refresh(body?: Input<typeof C.RefreshRequest>): Promise<AuthResponse> {
      if (body) session.setTokens({ refreshToken: body.refreshToken });
      return session.refresh();
    },

    /**
     * POST /api/auth/logout → 204. With a refresh token (the held one by default) it ends that
     * sign-in and is sent without the access token, so an expired access token cannot get in the
     * way (a refresh first would rotate the very token being sent). With `{}` it ends every
     * sign-in of the user, authenticated by the access token. The client forgets its tokens either way.
     */
    async logout(body?: Input<typeof C.LogoutRequest>, options?: RequestOptions): Promise<void> {
      const refreshToken = session.getTokens().refreshToken;
      const sent = body ?? (refreshToken === null ? {} : { refreshToken });
      try {
        await transport.call<void>(
          { method: 'POST', path: '/api/auth/logout', body: sent, anonymous: sent.refreshToken !== undefined },
          options,
        );
      } finally {
        session.clearTokens();
      }
    },

    /** GET /api/auth/me: the signed-in user. */
    me(options?: RequestOptions): Promise<Output<typeof C.User>> {
      return transport.call({ method: 'GET', path: '/api/auth/me' }, options);
    },

    /**
     * PUT /api/auth/users/:userId/grants {grants} (admins): replaces the user's grants, `[]`
     * revokes them all. The user's access tokens carry the change from their next refresh.
     */
    setGrants(
      userId: string,
      body: Input<typeof C.SetGrantsRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.User>> {
      return transport.call({ method: 'PUT', path: path`/api/auth/users/${userId}/grants`, body }, options);
    },
  };
}

export type AuthApi = ReturnType<typeof createAuthApi>;

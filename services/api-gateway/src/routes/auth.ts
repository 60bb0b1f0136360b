// /api/auth: register, login, refresh, logout, me, and an admin's grants to a user. HTTP only: the flows are in
// use-cases/ (identity.ts); this file adds the per-address limit, the no-store header, the
// login metrics and the mapping of records to the contract's User.
import type { Request, RequestHandler, Response, Router } from 'express';
import {
  AuthResponse,
  LoginRequest,
  LogoutRequest,
  RefreshRequest,
  RegisterRequest,
  SetGrantsRequest,
  User,
  UserIdParams,
} from '@azora/contracts';
import { DomainError, currentUser, type Api } from '@azora/service-kit';
import type { UserRecord } from '../domain/users';
import type { AuthResult, Identity } from '../use-cases/identity';
import type { GatewayMetrics } from '../metrics';

function toUser(user: UserRecord): User {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    grants: user.grants,
    createdAt: user.createdAt.toISOString(),
  };
}

function sendSession(res: Response, status: number, result: AuthResult): void {
  const body: AuthResponse = {
    user: toUser(result.user),
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    expiresIn: result.expiresIn,
    tokenType: 'Bearer',
  };
  // Tokens must not be kept by any cache between the gateway and the client.
  res.status(status).setHeader('cache-control', 'no-store').json(body);
}

const isRateLimited = (error: unknown) => error instanceof DomainError && error.code === 'auth.rate_limited';

/** Counts every attempt from a client address, before the body is even looked at. */
function perAddress(identity: Identity, route: 'login' | 'register', metrics: GatewayMetrics): RequestHandler {
  return (req, _res, next) => {
    identity.limits.fromAddress(route, req.ip ?? req.socket.remoteAddress ?? 'unknown').then(
      () => next(),
      (error: unknown) => {
        if (isRateLimited(error)) {
          metrics.rateLimited.inc({ route });
          if (route === 'login') metrics.logins.inc({ outcome: 'rate_limited' });
        }
        next(error);
      },
    );
  };
}

export function authRoutes(
  router: Router,
  api: Api,
  { identity, metrics }: { identity: Identity; metrics: GatewayMetrics },
): void {
  const tags = ['Identity'];
  router.post('/api/auth/register', perAddress(identity, 'register', metrics));
  router.post('/api/auth/login', perAddress(identity, 'login', metrics));

  api.endpoint(
    {
      method: 'post',
      path: '/api/auth/register',
      summary: 'Create an account (student, instructor or employer) and sign in',
      description:
        'The email is unique regardless of letter case. Rate limited per client address and per email (429 with Retry-After).',
      tags,
      access: 'public',
      body: RegisterRequest,
      responses: { 201: AuthResponse },
    },
    async ({ body }, req, res) => {
      try {
        sendSession(res, 201, await identity.register(body, { requestId: req.id }));
      } catch (error) {
        if (isRateLimited(error)) metrics.rateLimited.inc({ route: 'register' });
        throw error;
      }
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in with email and password',
      description:
        'A wrong password and an unknown email get the same 401. Rate limited per client address; after repeated failures an account waits a growing delay (429 with Retry-After).',
      tags,
      access: 'public',
      body: LoginRequest,
      responses: { 200: AuthResponse },
    },
    async ({ body }, _req, res) => {
      try {
        const result = await identity.login(body.email, body.password);
        metrics.logins.inc({ outcome: 'success' });
        sendSession(res, 200, result);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'auth.invalid_credentials')
          metrics.logins.inc({ outcome: 'invalid_credentials' });
        if (isRateLimited(error)) {
          metrics.rateLimited.inc({ route: 'login' });
          metrics.logins.inc({ outcome: 'rate_limited' });
        }
        throw error;
      }
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/api/auth/refresh',
      summary: 'Exchange a refresh token for new tokens (the old refresh token stops working)',
      description:
        'Each refresh token works once. Presenting one that was already used revokes every token of its sign-in.',
      tags,
      access: 'public',
      body: RefreshRequest,
      responses: { 200: AuthResponse },
    },
    async ({ body }, _req, res) => {
      sendSession(res, 200, await identity.refresh(body.refreshToken));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/api/auth/logout',
      summary:
        'Sign out: end the sign-in of the refresh token sent, or, with only an access token, every sign-in of the user',
      description: 'Access tokens already issued stay valid until they expire (at most the access-token lifetime).',
      tags,
      access: 'public',
      body: LogoutRequest,
      responses: { 204: null },
    },
    async ({ body }, req: Request, res) => {
      await identity.logout({ refreshToken: body.refreshToken, userId: req.user?.id });
      res.status(204).end();
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/api/auth/me',
      summary: 'The signed-in user',
      tags,
      access: 'user',
      responses: { 200: User },
    },
    async (_input, req, res) => {
      res.json(toUser(await identity.me(currentUser(req).id)));
    },
  );
  api.endpoint(
    {
      method: 'put',
      path: '/api/auth/users/:id/grants',
      summary: "Set a user's grants (admins): what they may do beyond their role",
      description:
        "Replaces the user's grants; `[]` revokes them all. Access tokens carry grants from their issue on: the change takes effect at the user's next login or token refresh (within the access-token lifetime).",
      tags,
      access: ['admin'],
      params: UserIdParams,
      body: SetGrantsRequest,
      responses: { 200: User },
    },
    async ({ params, body }, _req, res) => {
      res.json(toUser(await identity.setGrants(params.id, body.grants)));
    },
  );
}

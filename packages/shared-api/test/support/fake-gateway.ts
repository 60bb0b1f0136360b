// A stand-in for the API gateway on a real port of 127.0.0.1: the /api/auth routes with opaque
// tokens it can expire on demand, refresh rotation, a protected route, a recorder for every
// other route, and problem+json answers shaped like service-kit's.
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import express, { type Express, type Request, type Response } from 'express';
import {
  LoginRequest,
  RegisterRequest,
  type AuthResponse,
  type Problem,
  type ProblemCode,
  type User,
} from '@azora/contracts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeGateway {
  url: string;
  app: Express;
  /** Every request that reached the recorder (any /api route not handled otherwise). */
  recorded: RecordedRequest[];
  refreshCalls: number;
  /** 401s answered because the access token had expired. */
  expiredRejections: number;
  /** Makes every access token issued so far expired. */
  expireAccessTokens(): void;
  /** Makes every refresh token issued so far unusable. */
  revokeRefreshTokens(): void;
  /** The caller's user from its Bearer token, or undefined after answering 401 (invalid or expired). */
  requireUser(req: Request, res: Response): User | undefined;
  /** Holds refresh responses until the returned function is called. */
  holdRefreshes(): () => void;
  close(): Promise<void>;
}

export function sendProblem(
  res: Response,
  status: number,
  code: ProblemCode,
  detail: string,
  extras: Record<string, unknown> = {},
): void {
  const problem: Problem = {
    ...extras,
    type: `https://azora.dev/problems/${code}`,
    title: status === 401 ? 'Unauthorized' : status === 400 ? 'Bad Request' : 'Error',
    status,
    detail,
    code,
    instance: res.req.originalUrl,
    requestId: String(res.getHeader('x-request-id')),
  };
  res.status(status).type('application/problem+json').send(JSON.stringify(problem));
}

export async function startFakeGateway(configure?: (app: Express, gateway: FakeGateway) => void): Promise<FakeGateway> {
  const app = express();
  const users = new Map<string, { user: User; password: string }>();
  const accessTokens = new Map<string, { userId: string; expired: boolean }>();
  const refreshTokens = new Map<string, { userId: string; used: boolean }>();
  let gate: Promise<void> = Promise.resolve();

  function issue(user: User): AuthResponse {
    const accessToken = `at_${randomBytes(16).toString('hex')}`;
    const refreshToken = `rt_${randomBytes(24).toString('hex')}`;
    accessTokens.set(accessToken, { userId: user.id, expired: false });
    refreshTokens.set(refreshToken, { userId: user.id, used: false });
    return { user, accessToken, refreshToken, expiresIn: 900, tokenType: 'Bearer' };
  }

  function requireUser(req: Request, res: Response): User | undefined {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const held = accessTokens.get(token);
    if (!held) {
      sendProblem(res, 401, 'auth.invalid_token', 'The access token is not valid');
      return undefined;
    }
    if (held.expired) {
      gateway.expiredRejections++;
      sendProblem(res, 401, 'auth.token_expired', 'The access token has expired');
      return undefined;
    }
    return users.get(held.userId)?.user;
  }

  const gateway: FakeGateway = {
    url: '',
    app,
    recorded: [],
    refreshCalls: 0,
    expiredRejections: 0,
    requireUser,
    expireAccessTokens: () => accessTokens.forEach((t) => (t.expired = true)),
    revokeRefreshTokens: () => refreshTokens.forEach((t) => (t.used = true)),
    holdRefreshes() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => release();
    },
    close: async () => undefined,
  };

  app.use((req, res, next) => {
    res.setHeader('x-request-id', req.get('x-request-id') ?? randomUUID());
    next();
  });
  app.use(express.json());
  // The test's own routes first, so that they can stand in for the built-in ones.
  configure?.(app, gateway);

  app.post('/api/auth/register', (req, res) => {
    const parsed = RegisterRequest.safeParse(req.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({
        path: `body.${i.path.join('.')}`,
        message: i.message,
        code: i.code,
      }));
      sendProblem(res, 400, 'request.validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), {
        issues,
      });
      return;
    }
    const user: User = {
      id: randomUUID(),
      email: parsed.data.email,
      name: parsed.data.name,
      role: parsed.data.role,
      grants: [],
      createdAt: new Date().toISOString(),
    };
    users.set(user.id, { user, password: parsed.data.password });
    res.status(201).json(issue(user));
  });

  app.post('/api/auth/login', (req, res) => {
    const parsed = LoginRequest.safeParse(req.body);
    const found = parsed.success ? [...users.values()].find((u) => u.user.email === parsed.data.email) : undefined;
    if (!parsed.success || !found || found.password !== parsed.data.password) {
      sendProblem(res, 401, 'auth.invalid_credentials', 'The email address or password is not correct');
      return;
    }
    res.json(issue(found.user));
  });

  app.post('/api/auth/refresh', async (req, res) => {
    gateway.refreshCalls++;
    await gate;
    const token = typeof req.body?.refreshToken === 'string' ? req.body.refreshToken : '';
    const held = refreshTokens.get(token);
    if (!held || held.used) {
      sendProblem(res, 401, 'auth.invalid_refresh_token', 'The refresh token is not valid: sign in again');
      return;
    }
    held.used = true;
    res.json(issue(users.get(held.userId)!.user));
  });

  app.post('/api/auth/logout', (req, res) => {
    gateway.recorded.push(record(req));
    res.status(204).end();
  });

  app.get('/api/auth/me', (req, res) => {
    const user = requireUser(req, res);
    if (user) res.json(user);
  });

  app.post('/api/mint/transfers', (req, res) => {
    gateway.recorded.push(record(req));
    const user = requireUser(req, res);
    if (user) res.status(201).json({ id: randomUUID(), fromUserId: user.id, ...req.body });
  });

  // Everything else under /api: recorded and echoed, so route tests can see what was sent.
  app.use('/api', (req, res) => {
    gateway.recorded.push(record(req));
    res.json({ method: req.method, path: req.originalUrl.split('?')[0], query: req.query });
  });

  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  };
  return gateway;
}

function record(req: Request): RecordedRequest {
  return {
    method: req.method,
    path: req.originalUrl.split('?')[0] ?? '',
    query: req.query as Record<string, unknown>,
    headers: req.headers,
    body: req.body,
  };
}

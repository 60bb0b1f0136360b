// The frame of every service's Express app: request context, metrics, health, body parsing,
// the service's routes, then 404 and the one error handler.
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { createApi, type Api } from './api';
import type { ServiceTokenVerifier } from './auth/service-credentials';
import { authenticate, type UserTokenVerifier } from './auth/user-tokens';
import { DELIVERY_PATH, type Consumer } from './bus/consumer';
import { errorHandler, invalidRequest, notFoundHandler } from './errors';
import { healthRouter, type ReadinessCheck } from './health';
import type { Metrics } from './metrics';
import { requestContext } from './request-context';
import { readinessChecks, type CoreDeps } from './service';

export interface ServiceAppOptions {
  service: string;
  version: string;
  logger: Logger;
  metrics: Metrics;
  checks: readonly ReadinessCheck[];
  /** Largest JSON body accepted; larger ones get 413. */
  bodyLimit?: string;
  /** Verifies user access tokens: req.user is set for every request that carries a valid one. */
  users?: UserTokenVerifier | undefined;
  /** The service's event consumer: its signed delivery endpoint is mounted before the JSON parser. */
  consumer?: Pick<Consumer, 'router' | 'topics'>;
  /** Mounted before the JSON parser: proxies and raw-body routes (webhooks) go here. */
  beforeBodyParsing?: (app: Express) => void;
  /** Verifies other services' credentials, for endpoints with access 'service'. */
  serviceTokens?: ServiceTokenVerifier | undefined;
  /** The service's own routes: declare them on `api` (validated, guarded and documented). */
  routes: (router: Router, api: Api) => void;
}

export function createServiceApp({
  service,
  version,
  logger,
  metrics,
  checks,
  bodyLimit = '1mb',
  users,
  serviceTokens,
  consumer,
  beforeBodyParsing,
  routes,
}: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // API responses are not cached by validators; hashing every body for an ETag is wasted work.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(requestContext(logger));
  app.use(metrics.middleware);
  app.use(healthRouter({ service, version, checks }));
  app.get('/metrics', metrics.handler);
  // The delivery endpoint exists only for a service that consumes events (Nexus itself does not).
  if (consumer) {
    app.post(DELIVERY_PATH, (req, res, next) =>
      consumer.topics().length > 0 ? consumer.router(req, res, next) : next(),
    );
  }
  app.use(authenticate(users));
  beforeBodyParsing?.(app);
  app.use(express.json({ limit: bodyLimit }));
  const router = express.Router();
  const api = createApi(router, { serviceTokens });
  routes(router, api);
  // The service's own OpenAPI 3.1 document, generated from the declared endpoints' schemas.
  app.get('/openapi.json', (_req, res) => {
    res.json(api.document({ title: `${service} API`, version }));
  });
  app.use(router);
  app.use(notFoundHandler);
  // The router fails to decode a malformed percent-encoding before any route runs: name the
  // parameter of the endpoint the path was meant for, as any other bad input is named.
  app.use((error: unknown, req: Request, _res: Response, next: NextFunction) => {
    const issues = error instanceof URIError ? api.undecodableParams(req.method, req.path) : [];
    next(issues.length > 0 ? invalidRequest(issues) : error);
  });
  app.use(errorHandler);
  return app;
}

/** The app of a service run by runService: everything but its routes comes from its deps. */
export function serviceApp(
  deps: Pick<
    CoreDeps,
    'service' | 'version' | 'logger' | 'metrics' | 'pool' | 'nexus' | 'users' | 'serviceTokens' | 'events'
  >,
  options: Pick<ServiceAppOptions, 'routes' | 'bodyLimit' | 'beforeBodyParsing'> & {
    checks?: readonly ReadinessCheck[];
  },
): Express {
  return createServiceApp({
    service: deps.service,
    version: deps.version,
    logger: deps.logger,
    metrics: deps.metrics,
    checks: options.checks ?? readinessChecks(deps),
    users: deps.users,
    serviceTokens: deps.serviceTokens,
    consumer: deps.events,
    routes: options.routes,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.beforeBodyParsing === undefined ? {} : { beforeBodyParsing: options.beforeBodyParsing }),
  });
}

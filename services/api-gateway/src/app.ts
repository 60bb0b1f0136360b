// API Gateway's HTTP app: users, credentials and refresh tokens (/api/auth), the public keys
// services verify access tokens with, and the routing of /api/<prefix>/* to every service.
// createApp starts nothing and touches no database: keys are loaded on first use.
import type { Express, RequestHandler } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import {
  authenticate,
  createServiceApp,
  readinessChecks,
  SERVICE_TOKEN_TYPE,
  type Api,
  type CoreDeps,
} from '@azora/service-kit';
import { serviceCredentialRefused } from './domain/errors';
import { gatewaySettings, type GatewaySettings, type SettingsOverrides } from './domain/settings';
import type { KeyEncryptionKey } from './keys/key-encryption';
import { createKeyRing, type KeyRing } from './keys/key-ring';
import { headerOf } from './keys/verified-tokens';
import { gatewayMetrics } from './metrics';
import { createProxyRoute, type ProxyRoute } from './proxy/proxy';
import { createServiceOnlyOperations, type ServiceOnlyOperations } from './proxy/service-only-operations';
import { createUpstreamDocuments } from './proxy/upstream-documents';
import { createUpstreamHealth } from './proxy/upstream-health';
import { catalogUpstreams, type Upstream } from './proxy/upstreams';
import { createWriteLimit } from './proxy/write-limit';
import { authRoutes } from './routes/auth';
import { docsRoutes } from './routes/docs';
import { gatewayRoutes } from './routes/gateway';
import { createIdentity, type Identity } from './use-cases/identity';
import { databaseSigningKeys } from './use-cases/signing-keys';

export type ApiGatewayDeps = CoreDeps & {
  /** Settings that differ from the defaults (see src/domain/settings.ts). */
  readonly settings?: SettingsOverrides | undefined;
  /** Where each public service lives; the catalog ports on 127.0.0.1 by default. */
  readonly upstreams?: readonly Upstream[] | undefined;
  /** Sign with this Ed25519 key (PKCS#8 PEM) instead of keys kept in the database. */
  readonly signingKeyPem?: string | undefined;
  /** Seals the signing keys kept in the database (GATEWAY_KEY_ENCRYPTION_KEY); needed without signingKeyPem. */
  readonly keyEncryptionKey?: KeyEncryptionKey | undefined;
};

export interface Gateway {
  app: Express;
  identity: Identity;
  keyRing: KeyRing;
  /** By public prefix. */
  routes: ReadonlyMap<string, ProxyRoute>;
  settings: GatewaySettings;
  /** The services' service-only routes, as learned from their documents. */
  serviceOnly: ServiceOnlyOperations;
  /** Closes the pooled connections to the services and stops the background refresh. */
  close(): void;
}

/** A service credential is for calls between services: at the public edge it is refused. A token
 * this gateway has already verified is a user's: its header need not be decoded again. */
function refuseServiceCredentials(verifier: KeyRing['verifier']): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return next();
    const token = header.slice(7).trim();
    if (!verifier.isVerified(token) && headerOf(token).typ === SERVICE_TOKEN_TYPE)
      return next(serviceCredentialRefused());
    next();
  };
}

function crossOrigin(origins: readonly string[]): RequestHandler | undefined {
  if (origins.length === 0) return undefined;
  return cors({
    origin: origins.includes('*') ? '*' : [...origins],
    exposedHeaders: ['x-request-id', 'retry-after', 'www-authenticate'],
    maxAge: 600,
  });
}

export function createGateway(deps: ApiGatewayDeps): Gateway {
  const settings = gatewaySettings(deps.settings);
  const metrics = gatewayMetrics(deps.metrics);
  const upstreams = deps.upstreams ?? catalogUpstreams();
  const keyRing = createKeyRing({
    clock: deps.clock,
    logger: deps.logger,
    accessTokenTtlSeconds: settings.accessTokenTtlSeconds,
    maxAgeSeconds: settings.signingKeyMaxAgeSeconds,
    fileKeyPem: deps.signingKeyPem,
    loadKeys: databaseSigningKeys({
      pool: deps.pool,
      clock: deps.clock,
      logger: deps.logger,
      policy: {
        maxAgeMs: settings.signingKeyMaxAgeSeconds * 1000,
        accessTokenTtlMs: settings.accessTokenTtlSeconds * 1000,
      },
      keyEncryptionKey: deps.keyEncryptionKey,
    }),
  });
  const identity = createIdentity({
    pool: deps.pool,
    publish: deps.publish,
    clock: deps.clock,
    tokens: keyRing.tokens,
    settings,
  });
  const documents = createUpstreamDocuments({ upstreams, cacheMs: settings.proxy.openApiCacheMs });
  const writeLimit = createWriteLimit(settings.proxy.writeRateLimit);
  const serviceOnly = createServiceOnlyOperations({
    documents,
    refreshMs: settings.proxy.openApiCacheMs,
    logger: deps.logger,
  });
  const routes = new Map(
    upstreams.map((u) => [
      u.prefix,
      createProxyRoute(u, { settings: settings.proxy, metrics, logger: deps.logger, writeLimit, serviceOnly }),
    ]),
  );
  const health = createUpstreamHealth({
    service: deps.service,
    upstreams,
    breakers: new Map([...routes.values()].map((r) => [r.upstream.name, r.breaker])),
    cacheMs: settings.proxy.healthCacheMs,
  });
  const securityHeaders: RequestHandler = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  });
  const corsMiddleware = crossOrigin(settings.corsOrigins);
  const edgeMiddleware = corsMiddleware ? [securityHeaders, corsMiddleware] : [securityHeaders];
  let ownApi: Api | undefined;

  const app = createServiceApp({
    service: deps.service,
    version: deps.version,
    logger: deps.logger,
    metrics: deps.metrics,
    checks: readinessChecks(deps),
    bodyLimit: '100kb',
    // Tokens are verified below, after CORS, so that a 401 reaches a browser with its CORS headers.
    users: undefined,
    serviceTokens: deps.serviceTokens,
    consumer: deps.events,
    beforeBodyParsing: (app) => {
      // Whose X-Forwarded-For makes req.ip (the per-address sign-in limits count by it): TRUST_PROXY.
      app.set('trust proxy', settings.trustProxy);
      for (const middleware of edgeMiddleware) app.use(middleware);
      app.use(refuseServiceCredentials(keyRing.verifier));
      app.use(authenticate(keyRing.verifier));
      docsRoutes(app, { version: deps.version, ownApi: () => ownApi, documents });
      // Before any body parser: proxied bodies stream to the service exactly as they came.
      for (const route of routes.values()) app.use(`/api/${route.upstream.prefix}`, route.handle);
    },
    routes: (router, api) => {
      ownApi = api;
      authRoutes(router, api, { identity, metrics });
      gatewayRoutes(router, api, { keyRing, health, clock: deps.clock });
    },
  });
  const close = () => {
    serviceOnly.stop();
    routes.forEach((r) => r.close());
  };
  return { app, identity, keyRing, routes, settings, serviceOnly, close };
}

export function createApp(deps: ApiGatewayDeps): Express {
  return createGateway(deps).app;
}

// Running a service process: config -> logger, metrics, pool -> migrations -> createApp(deps)
// -> listen, relay the outbox, subscribe to Nexus -> graceful shutdown on SIGTERM/SIGINT.
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import { serviceByName, type ServiceInfo } from '@azora/contracts';
import { runMigrations } from '@azora/database';
import {
  createServiceTokenIssuer,
  createServiceTokenVerifier,
  serviceKeysFromEnv,
  type ServiceTokenIssuer,
  type ServiceTokenVerifier,
} from './auth/service-credentials';
import { createUserTokenVerifier, type UserTokenVerifier } from './auth/user-tokens';
import { createConsumer, type Consumer } from './bus/consumer';
import { createNexusClient, type NexusClient } from './bus/nexus-client';
import { createOutboxSignal, type OutboxSignal } from './bus/outbox-signal';
import { createPublisher, type Publish } from './bus/publish';
import { createOutboxRelay } from './bus/relay';
import { type Clock, systemClock } from './clock';
import { baseServiceConfig, readConfigOrExit, type BaseServiceConfig } from './config';
import { databaseCheck, createPool, type Pool } from './db/pool';
import type { ReadinessCheck } from './health';
import { exitOnSignals, startServer, type RunningServer } from './lifecycle';
import { exitOnFatalErrors } from './fatal-errors';
import { sleep } from './sleep';
import { createLogger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { flushTraces } from './tracing/bridge';

/** What every service's createApp receives; services extend it with their own deps. */
export interface CoreDeps {
  readonly service: string;
  readonly version: string;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  /** Writes an event to this service's outbox inside the caller's transaction. */
  readonly publish: Publish;
  /** Wakes the outbox relay; publish() signals it after commit. Code that writes outbox rows
   * itself (in SQL) calls outbox.written() once they are committed. */
  readonly outbox: OutboxSignal;
  /** Handlers of the events this service consumes; its delivery endpoint. */
  readonly events: Consumer;
  /** Present when the deployment gave this service its credentials and a Nexus to talk to. */
  readonly nexus?: NexusClient | undefined;
  /** Verifies other services' credentials, when the deployment provisioned keys. */
  readonly serviceTokens?: ServiceTokenVerifier | undefined;
  readonly credentials?: ServiceTokenIssuer | undefined;
  /** Verifies user access tokens against the gateway's key set. */
  readonly users?: UserTokenVerifier | undefined;
  /** Aborted when the process starts shutting down: long-lived responses (SSE) end on it. */
  readonly stopping: AbortSignal;
}

export interface CoreDepsOptions {
  service: string;
  pool: Pool;
  schema?: string;
  version?: string;
  logger?: Logger;
  clock?: Clock;
  nexus?: NexusClient | undefined;
  serviceTokens?: ServiceTokenVerifier | undefined;
  credentials?: ServiceTokenIssuer | undefined;
  users?: UserTokenVerifier | undefined;
  stopping?: AbortSignal;
  /** When set, /metrics needs it as a Bearer token. */
  metricsToken?: string | undefined;
}

/** CoreDeps with defaults: a fresh metrics registry, the system clock, a silent logger. */
export function createCoreDeps({
  service,
  pool,
  schema,
  version = '0.1.0',
  logger,
  clock = systemClock,
  nexus,
  serviceTokens,
  credentials,
  users,
  stopping = new AbortController().signal,
  metricsToken,
}: CoreDepsOptions): CoreDeps {
  const log = logger ?? createLogger({ service, level: 'silent' });
  const metrics = createMetrics({ service, scrapeToken: metricsToken });
  const ownSchema = schema ?? serviceByName(service)?.schema;
  if (!ownSchema) throw new Error(`no schema known for service "${service}"`);
  const outbox = createOutboxSignal();
  return {
    service,
    version,
    pool,
    logger: log,
    clock,
    metrics,
    publish: createPublisher({ clock, signal: outbox }),
    outbox,
    events: createConsumer({ service, pool, logger: log, clock, metrics }),
    nexus,
    serviceTokens,
    credentials,
    users,
    stopping,
  };
}

/** The readiness checks of a service: its database and, when it has one, the bus. */
export function readinessChecks(deps: Pick<CoreDeps, 'pool' | 'nexus'>): ReadinessCheck[] {
  const checks = [databaseCheck(deps.pool)];
  const { nexus } = deps;
  if (nexus) checks.push({ name: 'bus', check: () => nexus.health() });
  return checks;
}

export interface RunServiceOptions<C extends BaseServiceConfig> {
  info: ServiceInfo;
  /** Absolute path of the service's migrations/ directory. */
  migrationsDir: string;
  /** Parses the service's config; defaults to the settings every service has. */
  config?: (env: NodeJS.ProcessEnv) => C;
  createApp: (deps: CoreDeps, config: C) => RequestListener | Promise<RequestListener>;
  /** Runs once the server listens (background workers start here, never in createApp). */
  onStarted?: (running: RunningServer) => void | Promise<void>;
  /** False for Nexus itself: no outbox relay and no subscription of its own. */
  bus?: boolean;
  /** Extra close hooks, run after the server stops and before the pool closes. */
  onClose?: ReadonlyArray<() => Promise<void> | void>;
}

/** Registers the service's subscription, retrying with back-off until Nexus answers. */
function registerInBackground(deps: CoreDeps, nexus: NexusClient, ownUrl: string, isStopped: () => boolean): void {
  void (async () => {
    for (let attempt = 0; !isStopped(); attempt++) {
      try {
        await deps.events.register(nexus, ownUrl);
        return;
      } catch (error) {
        // Nexus starting a moment after this service is normal: say so quietly, and only
        // warn (with the error) once it has been failing for a while.
        const reason = (error as Error).message;
        if (attempt === 0) deps.logger.info({ reason }, 'Nexus not reachable yet; subscribing in the background');
        else if (attempt % 10 === 0)
          deps.logger.warn({ err: error, attempt }, 'still cannot subscribe to Nexus; retrying');
        await sleep(Math.min(5_000, 100 * 2 ** attempt), deps.stopping);
      }
    }
  })();
}

export async function runService<C extends BaseServiceConfig = BaseServiceConfig>(
  options: RunServiceOptions<C>,
): Promise<RunningServer> {
  const { info, bus = true } = options;
  const config = options.config
    ? options.config(process.env)
    : (readConfigOrExit(baseServiceConfig(info.schema, info.port)) as C);
  const logger = createLogger({ service: info.name, level: config.logLevel });
  exitOnFatalErrors(logger);
  const pool = createPool({
    connectionString: config.databaseUrl,
    schema: info.schema,
    max: config.dbPoolMax,
    applicationName: info.name,
    logger,
  });
  let stopped = false;
  try {
    await runMigrations({ pool, schema: info.schema, dir: options.migrationsDir, logger });
    const keys = serviceKeysFromEnv(process.env);
    if (!keys)
      logger.warn(
        'no service keys (SERVICE_KEY_FILE/SERVICE_JWKS_FILE): this service cannot use the bus or call other services',
      );
    const credentials = keys
      ? createServiceTokenIssuer({ service: info.name, privateKeyPem: keys.privateKeyPem })
      : undefined;
    const serviceTokens = keys ? createServiceTokenVerifier({ jwks: keys.jwks }) : undefined;
    const nexus = credentials && bus ? createNexusClient({ baseUrl: config.nexusUrl, credentials }) : undefined;
    const users = createUserTokenVerifier({ jwksUrl: config.jwksUrl });
    const shutdown = new AbortController();
    const deps = createCoreDeps({
      service: info.name,
      schema: info.schema,
      version: config.version,
      pool,
      logger,
      nexus,
      serviceTokens,
      credentials,
      users,
      stopping: shutdown.signal,
      metricsToken: config.metricsToken,
    });
    const app = await options.createApp(deps, config);
    const relay = nexus
      ? createOutboxRelay({
          pool,
          schema: info.schema,
          source: info.name,
          nexus,
          logger,
          metrics: deps.metrics,
          signal: deps.outbox,
        })
      : undefined;
    const running = await startServer({
      app,
      port: config.port,
      host: config.host,
      logger,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      limits: config.serverLimits,
      onStopping: () => shutdown.abort(),
      onClose: [
        () => {
          stopped = true;
        },
        ...(relay ? [() => relay.stop()] : []),
        ...(options.onClose ?? []),
        () => pool.end(),
        () => flushTraces(),
      ],
    });
    relay?.start();
    await options.onStarted?.(running);
    if (nexus && deps.events.topics().length > 0)
      registerInBackground(deps, nexus, config.publicUrl ?? running.url, () => stopped);
    exitOnSignals(running, logger);
    return running;
  } catch (error) {
    logger.fatal({ err: error }, `${info.name} failed to start: ${(error as Error).message}`);
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** A service's entry point: runService, and exit 1 (after the log is flushed) when it cannot start. */
export function serve<C extends BaseServiceConfig = BaseServiceConfig>(options: RunServiceOptions<C>): void {
  runService(options).catch(() => {
    setTimeout(() => process.exit(1), 100);
  });
}

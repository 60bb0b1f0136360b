// One service under test, set up the way every service's harness needs it: a database of the
// test's own, a pool on the service's schema (its own role), signed-in users, service
// credentials, the core deps on a fixed clock, signed deliveries, the app served on 127.0.0.1
// when a test needs a real connection, a look into the outbox, and one close() for all of it.
import type { RequestListener } from 'node:http';
import type { ServiceInfo } from '@azora/contracts';
import { createTestDatabase, type TestDatabase } from '@azora/test-database';
import {
  createCoreDeps,
  createLogger,
  createPool,
  fixedClock,
  startServer,
  type Clock,
  type CoreDeps,
  type CoreDepsOptions,
  type Pool,
  type RunningServer,
} from '@azora/service-kit';
import { createTestDeliveries, type TestDeliveries } from './deliveries';
import {
  createTestIdentities,
  createTestServiceCredentials,
  type TestIdentities,
  type TestServiceCredentials,
} from './identities';

export type FixedClock = ReturnType<typeof fixedClock>;

/** Where a service's fixed clock starts unless the test says otherwise. */
export const TEST_START = '2026-03-02T09:00:00.000Z';

/** What createApp builds: the app itself, or a service object that holds it (and its workers). */
export type Served = RequestListener | { readonly app: RequestListener };
export type AppOf<S extends Served> = S extends { readonly app: infer A } ? A : S;

/** A row of the service's outbox. */
export interface OutboxRow<D = Record<string, unknown>> {
  type: string;
  subject: string | null;
  data: D;
}

export interface TestServiceOptions<S extends Served, C extends Clock> {
  info: Pick<ServiceInfo, 'name' | 'schema'>;
  /** Builds what is under test from the core deps (services extend them with their own). */
  createApp(deps: CoreDeps): S | Promise<S>;
  /** Where its fixed clock starts (TEST_START). */
  at?: string | Date | undefined;
  /** Another clock instead (systemClock for real time). */
  clock?: C;
  /** Services whose calls it accepts: each gets a credential, deps.serviceTokens verifies them. */
  services?: readonly string[];
  /** Gives the service its own credential (deps.credentials), for a service that calls others. */
  callsOthers?: boolean;
  /** Keys made beforehand, holding the service's and `services`' (a fake peer that checks the
   * service's credential is started before the app that calls it). */
  credentials?: TestServiceCredentials;
  /** Anything else of the core deps (a logger, a stopping signal, another verifier...). */
  deps?: Partial<Omit<CoreDepsOptions, 'service' | 'pool' | 'clock'>>;
  /** Connections of the service's pool (12). */
  poolSize?: number;
  /** A second instance of a running one: its database (left for it to drop), users and keys. */
  sharing?: Pick<TestService, 'db' | 'users' | 'credentials'>;
}

export interface TestService<S extends Served = Served, C extends Clock = FixedClock> {
  /** What createApp built. */
  readonly service: S;
  readonly app: AppOf<S>;
  readonly db: TestDatabase;
  readonly pool: Pool;
  readonly deps: CoreDeps;
  readonly clock: C;
  /** Signed-in users, whose tokens deps.users accepts. */
  readonly users: TestIdentities;
  /** Credentials of the service itself and of the services it accepts. */
  readonly credentials: TestServiceCredentials;
  /** Events delivered as Nexus delivers them, signed at the service's time. */
  readonly deliveries: TestDeliveries;
  /** Serves the app on 127.0.0.1 with the kit's server (limits as in production); its URL. */
  listen(): Promise<string>;
  /** Events in the outbox, oldest first; only those of `type` when given. */
  outbox<D = Record<string, unknown>>(type?: string): Promise<Array<OutboxRow<D>>>;
  /** Stops serving (cutting open streams), ends the pool and drops the database. */
  close(): Promise<void>;
}

function appOf<S extends Served>(service: S): AppOf<S> {
  return (typeof service === 'function' ? service : service.app) as AppOf<S>;
}

export async function startTestService<S extends Served, C extends Clock = FixedClock>(
  options: TestServiceOptions<S, C>,
): Promise<TestService<S, C>> {
  const { info, sharing, poolSize = 12 } = options;
  const db = sharing?.db ?? (await createTestDatabase());
  const pool = createPool({ connectionString: db.urlFor(info.schema), schema: info.schema, max: poolSize });
  const users = sharing?.users ?? createTestIdentities();
  const credentials =
    options.credentials ??
    sharing?.credentials ??
    createTestServiceCredentials([...new Set([info.name, ...(options.services ?? [])])]);
  const clock = options.clock ?? (fixedClock(options.at ?? TEST_START) as Clock as C);
  const deps = createCoreDeps({
    service: info.name,
    pool,
    clock,
    // TEST_LOG_LEVEL=error shows what a 500 hides.
    logger: createLogger({ service: info.name, level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    users: users.verifier,
    ...(options.services ? { serviceTokens: credentials.verifier } : {}),
    ...(options.callsOthers ? { credentials: credentials.issuer(info.name) } : {}),
    ...options.deps,
  });
  let service: S;
  try {
    service = await options.createApp(deps);
  } catch (error) {
    await pool.end();
    if (!sharing) await db.drop();
    throw error;
  }
  const app = appOf(service);
  let running: Promise<RunningServer> | undefined;

  return {
    service,
    app,
    db,
    pool,
    deps,
    clock,
    users,
    credentials,
    deliveries: createTestDeliveries(deps.events, app, { clock }),
    async listen() {
      running ??= startServer({ app, port: 0 });
      return (await running).url;
    },
    async outbox<D>(type?: string) {
      const { rows } = await pool.query<OutboxRow<D>>(
        `SELECT type, subject, data FROM outbox WHERE $1::text IS NULL OR type = $1 ORDER BY position`,
        [type ?? null],
      );
      return rows;
    },
    async close() {
      if (running) {
        const server = await running;
        // A test's open streams would hold a graceful stop for its whole timeout.
        server.server.closeAllConnections();
        await server.stop();
      }
      await pool.end();
      if (!sharing) await db.drop();
    },
  };
}

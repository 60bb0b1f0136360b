// One Nexus for a test: its own database and pool, service keys for the catalog, the app
// listening on 127.0.0.1:0, and dispatchers the test starts; close() stops all of it. On the
// JetStream backend it also has a stream of its own on the file's nats-server. A second instance
// can join the first (same database, same stream), as instances behind a load balancer do.
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SERVICES, type EventEnvelope, type PublishResponse } from '@azora/contracts';
import {
  createCoreDeps,
  createHttpServer,
  createPool,
  createServiceTokenIssuer,
  createServiceTokenVerifier,
  generateServiceKeys,
  type Clock,
  type Pool,
} from '@azora/service-kit';
import { createTestDatabase, type TestDatabase } from '@azora/testing';
import { createApp, createNexusDispatcher, type Dispatcher, type NexusDeps } from '../../src/app';
import type { DeliverySettings } from '../../src/domain/settings';
import { openNatsStream, type NatsStream } from '../../src/nats/stream';
import type { Backend } from './backends';
import { natsServer } from './nats-server';

/** Small enough that retries and dead letters happen within a test. */
export const FAST_DELIVERY: Partial<DeliverySettings> = {
  maxAttempts: 3,
  backoffBaseMs: 5,
  backoffMaxMs: 20,
  pollIntervalMs: 50,
  timeoutMs: 2_000,
  stopTimeoutMs: 2_000,
};

/** The application_name of dispatchers' connections, so a test can find and cut them. */
export const DISPATCHER_APPLICATION = 'nexus-dispatcher';

export interface Nexus {
  readonly backend: Backend;
  readonly db: TestDatabase;
  readonly pool: Pool;
  readonly deps: NexusDeps;
  /** The JetStream stream, on the nats backend. */
  readonly nats: NatsStream | undefined;
  readonly app: ReturnType<typeof createApp>;
  readonly url: string;
  token(service: string): Promise<string>;
  publish(service: string, events: EventEnvelope[]): Promise<PublishResponse>;
  /** A dispatcher on this database with a pool of its own (through `connectionString` when
   * given, e.g. a proxy); it shares the app's metrics. */
  startDispatcher(settings?: Partial<DeliverySettings>, options?: { connectionString?: string }): Dispatcher;
  close(): Promise<void>;
}

export interface NexusOptions {
  backend?: Backend;
  clock?: Clock;
  /** Where this instance reaches NATS (e.g. through a proxy); the file's nats-server by default. */
  natsUrl?: string;
  /** Another instance on the same database and stream, as behind a load balancer. */
  joining?: Nexus;
}

type Keys = ReturnType<typeof generateServiceKeys>;
const keysOf = new WeakMap<Nexus, Keys>();

export async function startNexus(
  settings: Partial<DeliverySettings> = FAST_DELIVERY,
  { joining, backend = joining?.backend ?? 'postgres', clock, natsUrl }: NexusOptions = {},
): Promise<Nexus> {
  const db = joining?.db ?? (await createTestDatabase());
  const pool = createPool({ connectionString: db.urlFor('nexus'), schema: 'nexus', max: 10 });
  const keys = (joining && keysOf.get(joining)) ?? generateServiceKeys(SERVICES.map((s) => s.name));
  const nats =
    backend === 'nats'
      ? await openNatsStream({
          servers: natsUrl ?? (await natsServer()).url,
          stream: joining?.nats?.name ?? `T${randomBytes(6).toString('hex')}`,
          duplicateWindowMs: 120_000,
          replicas: 1,
          logger: createCoreDeps({ service: 'azora-nexus', pool }).logger,
          requestTimeoutMs: 2_000,
          reconnectWaitMs: 50,
        })
      : undefined;
  const deps: NexusDeps = {
    ...createCoreDeps({
      service: 'azora-nexus',
      pool,
      serviceTokens: createServiceTokenVerifier({ jwks: keys.jwks }),
      ...(clock ? { clock } : {}),
    }),
    settings,
    nats,
  };
  const app = createApp(deps);
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuers = new Map<string, ReturnType<typeof createServiceTokenIssuer>>();
  const started: Array<{ dispatcher: Dispatcher; pool: Pool }> = [];

  const token = (service: string) => {
    let issuer = issuers.get(service);
    if (!issuer) {
      issuer = createServiceTokenIssuer({ service, privateKeyPem: keys.privateKeys[service] as string });
      issuers.set(service, issuer);
    }
    return issuer.token();
  };

  const nexus: Nexus = {
    backend,
    db,
    pool,
    deps,
    nats,
    app,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    async publish(service, events) {
      const res = await request(app)
        .post('/events')
        .auth(await token(service), { type: 'bearer' })
        .send({ events });
      if (res.status !== 200) throw new Error(`publish answered ${res.status}: ${res.text}`);
      return res.body as PublishResponse;
    },
    startDispatcher(overrides = {}, { connectionString = db.urlFor('nexus') } = {}) {
      const ownPool = createPool({
        connectionString,
        schema: 'nexus',
        max: 6,
        logger: deps.logger,
        applicationName: DISPATCHER_APPLICATION,
      });
      const dispatcher = createNexusDispatcher({ ...deps, pool: ownPool, settings: { ...settings, ...overrides } });
      dispatcher.start();
      started.push({ dispatcher, pool: ownPool });
      return dispatcher;
    },
    async close() {
      for (const { dispatcher, pool: ownPool } of started) {
        await dispatcher.stop();
        await ownPool.end();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (nats && !joining) await nats.jsm.streams.delete(nats.name).catch(() => undefined);
      await nats?.close();
      await pool.end();
      if (!joining) await db.drop();
    },
  };
  keysOf.set(nexus, keys);
  return nexus;
}

/** Registers a subscription for `subscriber` and hands its secret to the endpoint. */
export async function subscribe(
  nexus: Nexus,
  endpoint: { url: string; secret: string | undefined },
  {
    subscriber = 'azora-mint',
    topics = ['*'],
    from,
  }: { subscriber?: string; topics?: string[]; from?: 'beginning' | 'now' } = {},
): Promise<{ id: string; secret: string }> {
  const res = await request(nexus.app)
    .post('/subscriptions')
    .auth(await nexus.token(subscriber), { type: 'bearer' })
    .send({ subscriber, topics, endpoint: endpoint.url, ...(from ? { from } : {}) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`subscribe answered ${res.status}: ${res.text}`);
  endpoint.secret = res.body.secret as string;
  return { id: res.body.id as string, secret: res.body.secret as string };
}

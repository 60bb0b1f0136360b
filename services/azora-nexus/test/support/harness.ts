// One Nexus for a test, on @azora/testing's startTestService (its own database and pool, service
// keys for the catalog, listening on 127.0.0.1:0), with dispatchers the test starts; close()
// stops all of it. On the JetStream backend it also has a stream of its own on the file's
// nats-server. A second instance can join the first (same database, keys and stream), as
// instances behind a load balancer do.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SERVICES, type EventEnvelope, type PublishResponse } from '@azora/contracts';
import { createPool, systemClock, type Clock, type Pool } from '@azora/service-kit';
import { startTestService, type TestService } from '@azora/testing';
import { createApp, createNexusDispatcher, type Dispatcher, type NexusDeps } from '../../src/app';
import { SERVICE } from '../../src/config';
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

interface NexusService {
  readonly app: ReturnType<typeof createApp>;
  readonly deps: NexusDeps;
}

export interface Nexus extends Omit<TestService<NexusService, Clock>, 'deps'> {
  readonly backend: Backend;
  readonly deps: NexusDeps;
  /** The JetStream stream, on the nats backend. */
  readonly nats: NatsStream | undefined;
  readonly url: string;
  token(service: string): Promise<string>;
  publish(service: string, events: EventEnvelope[]): Promise<PublishResponse>;
  /** A dispatcher on this database with a pool of its own (through `connectionString` when
   * given, e.g. a proxy); it shares the app's metrics. */
  startDispatcher(settings?: Partial<DeliverySettings>, options?: { connectionString?: string }): Dispatcher;
}

export interface NexusOptions {
  backend?: Backend;
  clock?: Clock;
  /** Where this instance reaches NATS (e.g. through a proxy); the file's nats-server by default. */
  natsUrl?: string;
  /** Another instance on the same database and stream, as behind a load balancer. */
  joining?: Nexus;
}

export async function startNexus(
  settings: Partial<DeliverySettings> = FAST_DELIVERY,
  { joining, backend = joining?.backend ?? 'postgres', clock = systemClock, natsUrl }: NexusOptions = {},
): Promise<Nexus> {
  const t = await startTestService({
    info: SERVICE,
    clock,
    poolSize: 10,
    services: SERVICES.map((s) => s.name),
    ...(joining ? { sharing: joining } : {}),
    createApp: async (core): Promise<NexusService> => {
      const nats =
        backend === 'nats'
          ? await openNatsStream({
              servers: natsUrl ?? (await natsServer()).url,
              stream: joining?.nats?.name ?? `T${randomBytes(6).toString('hex')}`,
              duplicateWindowMs: 120_000,
              replicas: 1,
              logger: core.logger,
              requestTimeoutMs: 2_000,
              reconnectWaitMs: 50,
            })
          : undefined;
      const deps: NexusDeps = { ...core, settings, nats };
      return { app: createApp(deps), deps };
    },
  });
  const { deps } = t.service;
  const nats = deps.nats;
  const started: Array<{ dispatcher: Dispatcher; pool: Pool }> = [];

  return {
    ...t,
    backend,
    deps,
    nats,
    url: await t.listen(),
    token: (service) => t.credentials.token(service),
    async publish(service, events) {
      const res = await request(t.app)
        .post('/events')
        .auth(await t.credentials.token(service), { type: 'bearer' })
        .send({ events });
      if (res.status !== 200) throw new Error(`publish answered ${res.status}: ${res.text}`);
      return res.body as PublishResponse;
    },
    startDispatcher(overrides = {}, { connectionString = t.db.urlFor(SERVICE.schema) } = {}) {
      const ownPool = createPool({
        connectionString,
        schema: SERVICE.schema,
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
      await t.close();
      if (nats && !joining) await nats.jsm.streams.delete(nats.name).catch(() => undefined);
      await nats?.close();
    },
  };
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

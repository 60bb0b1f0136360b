// The two ends of the bus for full-system tests: a publishing service (its outbox and relay)
// and a consuming service (its signed delivery endpoint), each on its own schema and role.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  createConsumer,
  createHttpServer,
  createLogger,
  createMetrics,
  createNexusClient,
  createOutboxRelay,
  createOutboxSignal,
  createPool,
  createPublisher,
  createServiceTokenIssuer,
  errorHandler,
  systemClock,
  withTransaction,
  type NexusClient,
  type OutboxRelay,
  type Pool,
} from '@azora/service-kit';
import type { TestDatabase } from '@azora/testing';
import { createDeployment, startService, type Deployment, type ServiceProcess } from './processes';

export function nexusClientFor(service: string, deployment: Deployment, nexusUrl: string): NexusClient {
  const credentials = createServiceTokenIssuer({
    service,
    privateKeyPem: readFileSync(deployment.keyFile(service), 'utf8'),
  });
  return createNexusClient({ baseUrl: nexusUrl, credentials });
}

/** An authenticated call to Nexus as `service`: for routes the client does not wrap. */
export async function callNexus(
  service: string,
  deployment: Deployment,
  nexusUrl: string,
  method: string,
  path: string,
): Promise<{ status: number; body: unknown }> {
  const credentials = createServiceTokenIssuer({
    service,
    privateKeyPem: readFileSync(deployment.keyFile(service), 'utf8'),
  });
  const res = await fetch(`${nexusUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${await credentials.token()}` },
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

export interface Publisher {
  pool: Pool;
  relay: OutboxRelay;
  /** Publishes lesson completions (`count` of them, or one per given lesson id) in one transaction; returns their event ids. */
  publishLessons(count: number, lessonIds?: string[]): Promise<string[]>;
  pending(): Promise<number>;
  close(): Promise<void>;
}

export function educationPublisher(databaseUrl: string, nexus: NexusClient): Publisher {
  const pool = createPool({ connectionString: databaseUrl, schema: 'education', max: 4 });
  const logger = createLogger({ service: 'azora-education', level: 'silent' });
  const signal = createOutboxSignal();
  const relay = createOutboxRelay({
    pool,
    schema: 'education',
    source: 'azora-education',
    nexus,
    logger,
    signal,
    minBackoffMs: 50,
    maxBackoffMs: 250,
  });
  const publish = createPublisher({ clock: systemClock, signal });
  return {
    pool,
    relay,
    publishLessons: (count, lessonIds) =>
      withTransaction(pool, async (tx) => {
        const ids: string[] = [];
        for (const lessonId of lessonIds ?? Array.from({ length: count }, () => randomUUID())) {
          ids.push(
            await publish(tx, 'education.lesson.completed', {
              courseId: randomUUID(),
              lessonId,
              userId: randomUUID(),
              authorIds: [randomUUID()],
              rewardEligible: true,
            }),
          );
        }
        return ids;
      }),
    async pending() {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL');
      return rows[0]?.n ?? 0;
    },
    async close() {
      await relay.stop();
      await pool.end();
    },
  };
}

export interface Subscriber {
  url: string;
  pool: Pool;
  /** Events received over HTTP, duplicates included. */
  received: string[];
  /** Event ids in the order their effect was applied, with how many times each was applied. */
  applied(): Promise<{ event_id: string; times: number }[]>;
  /** Lesson ids whose handler throws while in this set. */
  poisoned: Set<string>;
  register(nexus: NexusClient): Promise<void>;
  close(): Promise<void>;
}

export async function mintSubscriber(databaseUrl: string, { handlerDelayMs = 0 } = {}): Promise<Subscriber> {
  const pool = createPool({ connectionString: databaseUrl, schema: 'mint', max: 4 });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS applied (n bigint GENERATED ALWAYS AS IDENTITY, event_id uuid PRIMARY KEY, times int NOT NULL)`,
  );
  const logger = createLogger({ service: 'azora-mint', level: 'silent' });
  const consumer = createConsumer({
    service: 'azora-mint',
    pool,
    logger,
    clock: systemClock,
    metrics: createMetrics({ service: 'azora-mint', defaultMetrics: false }),
  });
  const poisoned = new Set<string>();
  const received: string[] = [];
  consumer.on('education.lesson.completed', async (event, tx) => {
    if (poisoned.has(event.data.lessonId)) throw new Error(`lesson ${event.data.lessonId} is poison`);
    if (handlerDelayMs > 0) await tx.query('SELECT pg_sleep($1)', [handlerDelayMs / 1000]);
    // Counts applications: the inbox, not this statement, must keep it at one.
    await tx.query(
      `INSERT INTO applied (event_id, times) VALUES ($1, 1) ON CONFLICT (event_id) DO UPDATE SET times = applied.times + 1`,
      [event.id],
    );
  });
  const app = express();
  app.use((req, _res, next) => {
    if (req.method === 'POST') {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        try {
          received.push(...(JSON.parse(raw) as { events: { id: string }[] }).events.map((e) => e.id));
        } catch {
          // not a delivery
        }
      });
    }
    next();
  });
  app.use(consumer.router);
  app.use(errorHandler);
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    pool,
    received,
    poisoned,
    applied: async () =>
      (await pool.query<{ event_id: string; times: number }>('SELECT event_id, times FROM applied ORDER BY n')).rows,
    register: (nexus) => consumer.register(nexus, url),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

export interface Bus {
  deployment: Deployment;
  nexus: ServiceProcess;
  publisher: Publisher;
  subscriber: Subscriber;
  /** Stops everything it started, the test database included. */
  stop(): Promise<void>;
}

/** A real Nexus process between a publishing Education and a subscribed Mint, on `db`. */
export async function startBus(
  db: TestDatabase,
  { nexusEnv = {}, handlerDelayMs = 0 }: { nexusEnv?: Record<string, string>; handlerDelayMs?: number } = {},
): Promise<Bus> {
  const deployment = await createDeployment(['azora-nexus', 'azora-education', 'azora-mint']);
  const nexus = await startService('azora-nexus', {
    deployment,
    env: {
      NEXUS_DATABASE_URL: db.urlFor('nexus'),
      NEXUS_BACKOFF_BASE_MS: '20',
      NEXUS_BACKOFF_MAX_MS: '200',
      ...nexusEnv,
    },
  });
  const publisher = educationPublisher(
    db.urlFor('education'),
    nexusClientFor('azora-education', deployment, nexus.url),
  );
  const subscriber = await mintSubscriber(db.urlFor('mint'), { handlerDelayMs });
  await subscriber.register(nexusClientFor('azora-mint', deployment, nexus.url));
  return {
    deployment,
    nexus,
    publisher,
    subscriber,
    async stop() {
      await publisher.close();
      await subscriber.close();
      await nexus.stop();
      await deployment.remove();
      await db.drop();
    },
  };
}

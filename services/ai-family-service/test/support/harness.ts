// One AI Family for a test file: its own database and pool, listening on 127.0.0.1 (SSE is read
// over a real connection), real user tokens, signed event deliveries, a fake Education that
// checks AI Family's real service credential, and either the offline tutor or the real OpenAI
// SDK pointed at a fake OpenAI-compatible server.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { CourseContent, StoredEvent } from '@azora/contracts';
import {
  createCoreDeps,
  createHttpClient,
  createHttpServer,
  createPool,
  createServiceTokenIssuer,
  createServiceTokenVerifier,
  fixedClock,
  generateServiceKeys,
  type CoreDeps,
  type Pool,
} from '@azora/service-kit';
import { createTestDatabase, createTestDeliveries, createTestIdentities, type TestUser } from '@azora/testing';
import { createAiFamily, type AiFamily } from '../../src/app';
import { createEducationClient } from '../../src/clients/education';
import { SERVICE } from '../../src/config';
import type { ReplySettings } from '../../src/domain/settings';
import { createOfflineProvider } from '../../src/providers/offline-provider';
import { createOpenAiProvider } from '../../src/providers/openai-provider';
import { startFakeEducation, type FakeEducation } from './fake-education';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai';

export type { TestUser };

export interface HarnessOptions {
  provider?: 'offline' | 'openai';
  settings?: Partial<ReplySettings>;
  openAiTimeoutMs?: number;
  at?: string;
}

export interface Harness {
  readonly family: AiFamily;
  readonly app: AiFamily['app'];
  /** Where the app listens on 127.0.0.1. */
  readonly url: string;
  readonly pool: Pool;
  readonly deps: CoreDeps;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly education: FakeEducation;
  /** Present with provider 'openai'. */
  readonly openai: FakeOpenAi | undefined;
  user(): Promise<TestUser>;
  deliver(events: StoredEvent[]): request.Test;
  /** education.course.published for the course, ready to deliver. */
  published(course: CourseContent): StoredEvent;
  /** Starts a conversation; its id. */
  conversation(user: TestUser, personaId?: string): Promise<string>;
  outbox(type?: string): Promise<Array<{ type: string; subject: string | null; data: Record<string, unknown> }>>;
  /** Stops the service as SIGTERM would: replies in progress end as interrupted. */
  shutdown(): Promise<void>;
  close(): Promise<void>;
}

const TEST_SETTINGS: Partial<ReplySettings> = { offlineTokenDelayMs: 0, flushMs: 20 };

export async function startAiFamily(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const pool = createPool({ connectionString: db.urlFor(SERVICE.schema), schema: SERVICE.schema, max: 12 });
  const identities = createTestIdentities();
  const keys = generateServiceKeys([SERVICE.name]);
  const serviceTokens = createServiceTokenVerifier({ jwks: keys.jwks });
  const credentials = createServiceTokenIssuer({
    service: SERVICE.name,
    privateKeyPem: keys.privateKeys[SERVICE.name]!,
  });
  const clock = fixedClock(options.at ?? '2026-03-02T09:00:00.000Z');
  const stopping = new AbortController();
  const deps = createCoreDeps({
    service: SERVICE.name,
    pool,
    users: identities.verifier,
    serviceTokens,
    credentials,
    clock,
    stopping: stopping.signal,
  });
  const education = await startFakeEducation(serviceTokens);
  const openai = options.provider === 'openai' ? await startFakeOpenAi() : undefined;
  const provider = openai
    ? createOpenAiProvider({
        apiKey: 'sk-test',
        model: 'gpt-test',
        baseUrl: openai.url,
        timeoutMs: options.openAiTimeoutMs ?? 5_000,
        maxRetries: 0,
      })
    : createOfflineProvider({ tokenDelayMs: 0 });
  const http = createHttpClient();
  const family = createAiFamily(deps, {
    provider,
    education: createEducationClient({
      baseUrl: education.url,
      http,
      credentials,
      timeoutMs: 2_000,
      logger: deps.logger,
    }),
    settings: { ...TEST_SETTINGS, ...options.settings },
  });
  const server: Server = createHttpServer(family.app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deliveries = createTestDeliveries(deps.events, family.app, { clock });

  return {
    family,
    app: family.app,
    url,
    pool,
    deps,
    clock,
    education,
    openai,
    user: () => identities.user(),
    deliver: (events) => deliveries.deliver(events),
    published: (course) =>
      deliveries.event('education.course.published', {
        courseId: course.courseId,
        title: course.title,
        skills: course.skills,
      }),
    async conversation(user, personaId) {
      const res = await request(family.app)
        .post('/conversations')
        .set(user.auth)
        .send(personaId ? { personaId } : {});
      if (res.status !== 201) throw new Error(`starting a conversation answered ${res.status}: ${res.text}`);
      return res.body.id as string;
    },
    async outbox(type) {
      const { rows } = await pool.query(
        `SELECT type, subject, data FROM outbox WHERE $1::text IS NULL OR type = $1 ORDER BY position`,
        [type ?? null],
      );
      return rows;
    },
    async shutdown() {
      stopping.abort();
      await family.drain();
    },
    async close() {
      stopping.abort();
      await family.drain();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      http.close();
      await education.close();
      await openai?.close();
      await pool.end();
      await db.drop();
    },
  };
}

// One AI Family for a test file, on @azora/testing's startTestService (its own database and
// pool, real user tokens, signed deliveries, the outbox), listening on 127.0.0.1 (SSE is read
// over a real connection), with a fake Education that checks AI Family's real service
// credential, and either the offline tutor or the real OpenAI SDK pointed at a fake
// OpenAI-compatible server.
import request from 'supertest';
import type { CourseContent, StoredEvent } from '@azora/contracts';
import { createHttpClient } from '@azora/service-kit';
import { createTestServiceCredentials, startTestService, type TestService, type TestUser } from '@azora/testing';
import { createAiFamily, type AiFamily } from '../../src/app';
import { createEducationClient } from '../../src/clients/education';
import { SERVICE } from '../../src/config';
import type { ReplySettings } from '../../src/domain/settings';
import { createOfflineProvider } from '../../src/providers/offline-provider';
import { createOpenAiProvider } from '../../src/providers/openai-provider';
import { startFakeEducation, type FakeEducation } from './fake-education';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai';
import { openStream, type OpenStream } from './sse';

export type { TestUser };

export interface HarnessOptions {
  provider?: 'offline' | 'openai';
  settings?: Partial<ReplySettings>;
  openAiTimeoutMs?: number;
  at?: string;
}

export interface Harness extends TestService<AiFamily> {
  readonly family: AiFamily;
  /** Where the app listens on 127.0.0.1. */
  readonly url: string;
  readonly education: FakeEducation;
  /** Present with provider 'openai'. */
  readonly openai: FakeOpenAi | undefined;
  user(): Promise<TestUser>;
  deliver(events: StoredEvent[]): request.Test;
  /** education.course.published for the course, ready to deliver. */
  published(course: CourseContent): StoredEvent;
  /** Starts a conversation; its id. */
  conversation(user: TestUser, personaId?: string): Promise<string>;
  /** Sends a message as `user`, answered as JSON once the reply has ended. */
  send(user: TestUser, conversationId: string, content: string): request.Test;
  /** Sends a message as `user` over a real connection, the reply read as it streams. */
  sendStreaming(user: TestUser, conversationId: string, content: string): Promise<OpenStream>;
  /** Stops the service as SIGTERM would: replies in progress end as interrupted. */
  shutdown(): Promise<void>;
}

const TEST_SETTINGS: Partial<ReplySettings> = { offlineTokenDelayMs: 0, flushMs: 20 };

export async function startAiFamily(options: HarnessOptions = {}): Promise<Harness> {
  const credentials = createTestServiceCredentials([SERVICE.name]);
  const education = await startFakeEducation(credentials.verifier);
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
  const stopping = new AbortController();
  const t = await startTestService({
    info: SERVICE,
    at: options.at,
    credentials,
    callsOthers: true,
    deps: { stopping: stopping.signal },
    createApp: (deps) =>
      createAiFamily(deps, {
        provider,
        education: createEducationClient({
          baseUrl: education.url,
          http,
          credentials: deps.credentials,
          timeoutMs: 2_000,
          logger: deps.logger,
        }),
        settings: { ...TEST_SETTINGS, ...options.settings },
      }),
  });
  const family = t.service;
  const shutdown = async () => {
    stopping.abort();
    await family.drain();
  };

  const url = await t.listen();

  return {
    ...t,
    family,
    url,
    education,
    openai,
    user: () => t.users.user(),
    deliver: (events) => t.deliveries.deliver(events),
    published: (course) =>
      t.deliveries.event('education.course.published', {
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
    send: (user, conversationId, content) =>
      request(family.app).post(`/conversations/${conversationId}/messages`).set(user.auth).send({ content }),
    sendStreaming: (user, conversationId, content) =>
      openStream(`${url}/conversations/${conversationId}/messages`, {
        method: 'POST',
        token: user.token,
        body: { content },
      }),
    shutdown,
    async close() {
      await shutdown();
      http.close();
      await education.close();
      await openai?.close();
      await t.close();
    },
  };
}

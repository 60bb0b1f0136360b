// The AI family's offline tutor through the public API, as a front end sees it: the typed client
// against the real gateway, Education, AI Family and Nexus processes. A published course reaches
// the tutor's index over the bus; an enrolled student's streamed question is answered token by
// token from the course's lessons, a dropped stream is re-attached without losing or repeating a
// token, and the gateway hands the event stream through as the service writes it.
import { randomUUID } from 'node:crypto';
import { createPool } from '@azora/service-kit';
import { AzoraApiError, createAzoraClient, readSseStream, type AzoraClient, type SseEvent } from '@azora/shared-api';
import { createTestDatabase, waitFor, type TestDatabase } from '@azora/testing';
import { startPlatform, type Platform } from './support/platform';

const BUS = { timeoutMs: 30_000 };
/** The longest any reply stream of this file may stay open. */
const STREAM_LIMIT_MS = 30_000;
const QUESTION = 'Why does compost keep the soil loose?';

/** What `ai.streamReply` and `ai.followReply` yield. */
type ReplyEvent =
  ReturnType<AzoraClient['ai']['streamReply']> extends AsyncGenerator<infer E, void, undefined> ? E : never;
type TokenEvent = Extract<ReplyEvent, { type: 'token' }>;

describe('the AI tutor through the gateway', () => {
  let db: TestDatabase;
  let platform: Platform;
  let aiFamily: ReturnType<typeof createPool>;

  beforeAll(async () => {
    db = await createTestDatabase();
    platform = await startPlatform(db, ['azora-education', 'ai-family-service'], {
      // Slow enough that a reply is still being written when its first tokens arrive.
      'ai-family-service': { AI_OFFLINE_TOKEN_DELAY_MS: '40', AI_STREAM_TIMEOUT_MS: String(STREAM_LIMIT_MS) },
    });
    aiFamily = createPool({ connectionString: db.urlFor('ai_family'), schema: 'ai_family', max: 1 });
  });
  afterAll(async () => {
    await aiFamily?.end();
    await platform?.stop();
    await db?.drop();
  });

  const client = () => createAzoraClient({ baseUrl: platform.gatewayUrl });

  async function registered(role: 'student' | 'instructor', name: string) {
    const api = client();
    const { user } = await api.auth.register({
      email: `${name}-${randomUUID().slice(0, 8)}@azora.test`,
      password: `${name}-password-42`,
      name,
      role,
    });
    return { api, id: user.id };
  }

  /** A published course with two lessons, once the tutor has indexed it from the bus. */
  async function indexedCourse() {
    const instructor = await registered('instructor', 'ines');
    const course = await instructor.api.education.createCourse({
      title: `Soil science ${randomUUID().slice(0, 6)}`,
      description: 'How healthy soil feeds a farm',
      priceCents: 0,
      currency: 'USD',
      skills: ['agronomy'],
    });
    const soil = await instructor.api.education.addLesson(course.id, {
      title: 'Healthy soil',
      content: 'Compost feeds the earthworms that keep the soil loose. Loose soil lets roots breathe and drink.',
      position: 1,
    });
    await instructor.api.education.addLesson(course.id, {
      title: 'Crop rotation',
      content: 'Rotating beans with maize puts nitrogen back into the field.',
      position: 2,
    });
    await instructor.api.education.publishCourse(course.id);
    // education.course.published reaches AI Family over Nexus; its indexer then reads the lessons.
    await waitFor(
      async () => {
        const { rows } = await aiFamily.query<{ status: string; passages: number }>(
          `SELECT c.status, count(p.id)::int AS passages FROM indexed_courses c LEFT JOIN passages p USING (course_id)
           WHERE c.course_id = $1 GROUP BY c.status`,
          [course.id],
        );
        expect(rows).toEqual([{ status: 'indexed', passages: 2 }]);
      },
      { ...BUS, what: 'the tutor to index the course' },
    );
    return { course, soil };
  }

  /** A student enrolled in a freshly indexed course, with a conversation with Elara. */
  async function studentAskingElara() {
    const { course, soil } = await indexedCourse();
    const student = await registered('student', 'sam');
    await student.api.education.enroll(course.id);
    const conversation = await student.api.ai.createConversation({ personaId: 'elara' });
    return { student, course, soil, conversation };
  }

  async function collect(events: AsyncGenerator<ReplyEvent, void, undefined>): Promise<ReplyEvent[]> {
    const seen: ReplyEvent[] = [];
    for await (const event of events) seen.push(event);
    return seen;
  }

  const tokensOf = (events: ReplyEvent[]) => events.filter((e): e is TokenEvent => e.type === 'token');

  /** GET …/messages/:messageId/stream through the gateway, read frame by frame until `done`. */
  async function reattach(student: AzoraClient, conversationId: string, replyId: string, lastEventId: number) {
    const res = await fetch(
      `${platform.gatewayUrl}/api/ai/conversations/${conversationId}/messages/${replyId}/stream`,
      {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${student.getTokens().accessToken ?? ''}`,
          'last-event-id': String(lastEventId),
        },
        signal: AbortSignal.timeout(STREAM_LIMIT_MS),
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames: SseEvent[] = [];
    for await (const frame of readSseStream(res.body!)) {
      frames.push(frame);
      if (frame.event === 'done' || frame.event === 'error') break;
    }
    return frames;
  }

  it('When an enrolled student streams a question, then tokens arrive one by one and the stored reply quotes the lesson with its course', async () => {
    // Arrange
    const { student, course, soil, conversation } = await studentAskingElara();

    // Act
    const events = await collect(
      student.api.ai.streamReply(conversation.id, QUESTION, { signal: AbortSignal.timeout(STREAM_LIMIT_MS) }),
    );

    // Assert: start, tokens 1..n in order, done.
    const tokens = tokensOf(events);
    expect(events[0]?.type).toBe('start');
    expect(events.at(-1)?.type).toBe('done');
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.map((t) => t.index)).toEqual(tokens.map((_, i) => i + 1));
    const { items } = await student.api.ai.listMessages(conversation.id);
    expect(items.map((m) => m.role)).toEqual(['user', 'assistant']);
    const reply = items[1]!;
    expect(reply).toMatchObject({ status: 'complete', provider: 'offline', personaId: 'elara' });
    expect(reply.content).toBe(tokens.map((t) => t.token).join(''));
    expect(reply.content).toContain(`From "${course.title}", lesson "Healthy soil"`);
    expect(reply.content).toContain('Compost feeds the earthworms');
    expect(reply.citations).toContainEqual({
      courseId: course.id,
      courseTitle: course.title,
      lessonId: soil.id,
      lessonTitle: 'Healthy soil',
    });
    expect(events.at(-1)).toEqual({ type: 'done', reply });
  });

  it('When the stream is dropped after the first tokens, then re-attaching with Last-Event-ID sends each remaining token once', async () => {
    // Arrange
    const { student, conversation } = await studentAskingElara();
    const reader = new AbortController();
    const first: TokenEvent[] = [];
    let replyId = '';
    for await (const event of student.api.ai.streamReply(conversation.id, QUESTION, {
      signal: AbortSignal.any([reader.signal, AbortSignal.timeout(STREAM_LIMIT_MS)]),
      reconnect: false,
    })) {
      if (event.type === 'start') replyId = event.reply.id;
      if (event.type === 'token') first.push(event);
      if (first.length === 2) {
        reader.abort(); // the page is closed mid-reply
        break;
      }
    }
    const last = first.at(-1)!.index;

    // Act: the page comes back and re-attaches after the last token it showed.
    const frames = await reattach(student.api, conversation.id, replyId, last);

    // Assert
    const rest = frames.filter((f) => f.event === 'token');
    const ids = rest.map((f) => Number(f.lastEventId));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(ids.map((_, i) => last + 1 + i));
    expect(frames.at(-1)?.event).toBe('done');
    const { items } = await student.api.ai.listMessages(conversation.id);
    const stored = items.find((m) => m.id === replyId)!;
    expect(stored.status).toBe('complete');
    const text = [...first.map((t) => t.token), ...rest.map((f) => (JSON.parse(f.data) as { token: string }).token)];
    expect(text.join('')).toBe(stored.content);
    // Once the reply has ended, the client's followReply reads the same remainder from storage.
    const followed = tokensOf(
      await collect(
        student.api.ai.followReply(conversation.id, replyId, {
          lastEventId: last,
          signal: AbortSignal.timeout(STREAM_LIMIT_MS),
        }),
      ),
    );
    expect(followed.map((t) => t.index)).toEqual(ids);
    expect([...first, ...followed].map((t) => t.token).join('')).toBe(stored.content);
  });

  it("When another user names a student's conversation or reply, then each route answers 404 and nothing changes", async () => {
    // Arrange
    const { student, conversation } = await studentAskingElara();
    const { reply } = await student.api.ai.sendMessage(conversation.id, { content: QUESTION });
    const stranger = await registered('student', 'stan');

    // Act
    const [read, list, send, follow] = await Promise.all([
      stranger.api.ai.getConversation(conversation.id).catch((e: unknown) => e),
      stranger.api.ai.listMessages(conversation.id).catch((e: unknown) => e),
      stranger.api.ai.sendMessage(conversation.id, { content: 'What did they ask?' }).catch((e: unknown) => e),
      collect(stranger.api.ai.followReply(conversation.id, reply.id, { reconnect: false })).catch((e: unknown) => e),
    ]);

    // Assert: as if neither existed.
    for (const refused of [read, list, send]) {
      expect(refused).toBeInstanceOf(AzoraApiError);
      expect(refused).toMatchObject({ status: 404, code: 'conversation.not_found' });
    }
    expect(follow).toBeInstanceOf(AzoraApiError);
    expect(follow).toMatchObject({ status: 404, code: 'ai.message_not_found' });
    expect((await student.api.ai.listMessages(conversation.id)).items).toHaveLength(2);
    expect((await stranger.api.ai.listConversations()).items).toEqual([]);
  });

  it('When a message is longer than 4,000 characters, then it is a 400 naming body.content and nothing is stored', async () => {
    // Arrange
    const student = await registered('student', 'olu');
    const conversation = await student.api.ai.createConversation({ personaId: 'elara' });
    const content = 'soil '.repeat(801); // 4,005 characters

    // Act
    const asJson = await student.api.ai.sendMessage(conversation.id, { content }).catch((e: unknown) => e);
    const asStream = await collect(student.api.ai.streamReply(conversation.id, content)).catch((e: unknown) => e);

    // Assert
    for (const refused of [asJson, asStream]) {
      expect(refused).toBeInstanceOf(AzoraApiError);
      expect(refused).toMatchObject({ status: 400 });
      expect((refused as AzoraApiError).issues.map((i) => i.path)).toContain('body.content');
    }
    expect((await student.api.ai.listMessages(conversation.id)).items).toEqual([]);
  });

  it('When a reply is streamed through the gateway, then the event stream passes as the service writes it, before the reply ends', async () => {
    // Arrange
    const { student, conversation } = await studentAskingElara();

    // Act: the front end's raw request, read frame by frame.
    const res = await fetch(`${platform.gatewayUrl}/api/ai/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: `Bearer ${student.api.getTokens().accessToken ?? ''}`,
      },
      body: JSON.stringify({ content: QUESTION }),
      signal: AbortSignal.timeout(STREAM_LIMIT_MS),
    });
    const frames: SseEvent[] = [];
    let statusAtFirstToken: string | undefined;
    for await (const frame of readSseStream(res.body!)) {
      frames.push(frame);
      if (frame.event === 'token' && statusAtFirstToken === undefined) {
        // The first token is in hand: the reply it belongs to must still be being written.
        const { items } = await student.api.ai.listMessages(conversation.id);
        statusAtFirstToken = items.find((m) => m.role === 'assistant')?.status;
      }
      if (frame.event === 'done' || frame.event === 'error') break;
    }

    // Assert
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(statusAtFirstToken).toBe('streaming');
    expect(frames.map((f) => f.event).filter((e) => e !== 'token')).toEqual(['start', 'done']);
    expect(frames.filter((f) => f.event === 'token').length).toBeGreaterThan(1);
    const done = JSON.parse(frames.at(-1)!.data) as { status: string; provider: string };
    expect(done).toMatchObject({ status: 'complete', provider: 'offline' });
  });
});

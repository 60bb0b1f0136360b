// The OpenAI path, through the real `openai` SDK against a local OpenAI-compatible server: a
// JSON reply with its usage and event, the prompt it sends (persona, the learner's courses and
// progress, lesson passages, a bounded history window), and provider failures as 502/503/504
// problems that never repeat what the provider said.
import request from 'supertest';
import { enrolledIn, SOIL } from './support/courses';
import { startAiFamily, type Harness } from './support/harness';

describe('the OpenAI provider', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAiFamily({ provider: 'openai', settings: { history: { maxMessages: 2, maxChars: 10_000 } } });
  });
  afterAll(() => h.close());

  it('When a learner sends a message, then the model’s reply is stored with its usage and ai.conversation.message is published', async () => {
    h.openai!.script({ kind: 'reply', text: 'Compost feeds the soil.', usage: { prompt: 120, completion: 8 } });
    const learner = await h.user();
    const id = await h.conversation(learner, 'kofi');

    const res = await h.send(learner, id, 'Should I save my AZR?');

    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({ role: 'user', content: 'Should I save my AZR?', status: 'complete' });
    expect(res.body.reply).toMatchObject({
      role: 'assistant',
      content: 'Compost feeds the soil.',
      status: 'complete',
      personaId: 'kofi',
      provider: 'openai',
      model: 'gpt-test',
      usage: { promptTokens: 120, completionTokens: 8, totalTokens: 128 },
      routing: { mode: 'conversation', matched: [] },
    });
    const events = (await h.outbox('ai.conversation.message')).filter((e) => e.data['conversationId'] === id);
    expect(events).toEqual([
      {
        type: 'ai.conversation.message',
        subject: learner.id,
        data: { conversationId: id, userId: learner.id, persona: 'kofi', tokens: 128 },
      },
    ]);
    const usage = await request(h.app).get('/usage').set(learner.auth);
    expect(usage.body).toMatchObject({
      day: '2026-03-02',
      used: 128,
      reserved: 0,
      resetsAt: '2026-03-03T00:00:00.000Z',
    });
  });

  it('When replies end, then /metrics counts tokens by persona and provider, replies by outcome, and provider latency', async () => {
    h.openai!.script({ kind: 'reply', text: 'Counted.', usage: { prompt: 40, completion: 2 } });
    const learner = await h.user();
    const id = await h.conversation(learner, 'zola');
    await h.send(learner, id, 'What is a median?').expect(201);

    const metrics = (await request(h.app).get('/metrics')).text;

    expect(metrics).toMatch(/ai_tokens_total\{persona="zola",provider="openai",service="ai-family-service"\} 42/);
    expect(metrics).toMatch(/ai_replies_total\{outcome="complete",service="ai-family-service"\} \d+/);
    expect(metrics).toMatch(
      /ai_provider_latency_seconds_count\{[^}]*provider="openai",phase="complete"[^}]*\} [1-9]\d*/,
    );
    expect(metrics).toMatch(/ai_streams_in_progress\{service="ai-family-service"\} 0/);
  });

  it('When the learner is enrolled, then the prompt carries the persona, their courses and progress and the relevant passages', async () => {
    const course = SOIL();
    h.education.publish(course);
    await h.deliver([h.published(course)]).expect(200);
    await h.family.indexer.runOnce();
    const learner = await h.user();
    h.education.setLearner(enrolledIn(learner.id, [course], 1));
    const id = await h.conversation(learner, 'elara');
    h.openai!.script({ kind: 'reply', text: 'Use compost.' });

    await h.send(learner, id, 'How do I keep my soil healthy with compost?').expect(201);

    const sent = h.openai!.requests.at(-1)!;
    const system = sent.messages.filter((m) => m.role === 'system').map((m) => m.content);
    expect(sent.model).toBe('gpt-test');
    expect(system[0]).toMatch(/^You are Elara, the teacher\./);
    expect(system.join('\n')).toContain('"Soil science": 1 of 2 lessons (50%); next lesson: "Crop rotation"');
    expect(system.join('\n')).toContain(
      'Course "Soil science", lesson "Healthy soil":\nHealthy soil is alive. Compost feeds',
    );
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: 'How do I keep my soil healthy with compost?' });
    expect(sent.temperature).toBe(0.5);
    expect(
      h.education.calls.some(
        (c) => c.path === `/service/learners/${learner.id}/context` && c.service === 'ai-family-service',
      ),
    ).toBe(true);
  });

  it('When a conversation is long, then only the latest messages within the window are sent', async () => {
    h.openai!.script((body) => ({ kind: 'reply', text: `answer ${body.messages.at(-1)!.content}` }));
    const learner = await h.user();
    const id = await h.conversation(learner, 'elara');
    await h.send(learner, id, 'first').expect(201);
    await h.send(learner, id, 'second').expect(201);

    await h.send(learner, id, 'third').expect(201);

    const turns = h.openai!.requests.at(-1)!.messages.filter((m) => m.role !== 'system');
    expect(turns).toEqual([
      { role: 'user', content: 'second' },
      { role: 'assistant', content: 'answer second' },
      { role: 'user', content: 'third' },
    ]);
  });

  it('When the provider fails, then it is a 502 that does not repeat its message, and the budget is released', async () => {
    h.openai!.script({ kind: 'error', status: 500, message: 'internal: shard db-7 exploded, key sk-live-123' });
    const learner = await h.user();
    const id = await h.conversation(learner, 'elara');

    const res = await h.send(learner, id, 'Hello');

    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'ai.provider_failed', status: 502 });
    expect(res.text).not.toMatch(/shard|sk-live|exploded/);
    const messages = await request(h.app).get(`/conversations/${id}/messages`).set(learner.auth);
    expect(
      messages.body.items.map((m: { status: string; errorCode: string | null }) => [m.status, m.errorCode]),
    ).toEqual([
      ['complete', null],
      ['failed', 'ai.provider_failed'],
    ]);
    const usage = await request(h.app).get('/usage').set(learner.auth);
    expect(usage.body).toMatchObject({ used: 0, reserved: 0 });
  });

  it('When the provider is rate limited, then it is a 503 with Retry-After', async () => {
    h.openai!.script({ kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '20' } });
    const learner = await h.user();
    const id = await h.conversation(learner, 'elara');

    const res = await h.send(learner, id, 'Hello');

    expect([res.status, res.body.code]).toEqual([503, 'ai.provider_unavailable']);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('When a streamed reply fails, then the stream ends with an error event carrying the problem', async () => {
    h.openai!.script({ kind: 'error', status: 500, message: 'secret detail' });
    const learner = await h.user();
    const id = await h.conversation(learner, 'elara');

    const stream = await h.sendStreaming(learner, id, 'Hi');
    const frames = await stream.rest();

    expect(frames.map((f) => f.event)).toEqual(['start', 'error']);
    expect(JSON.parse(frames[1]!.data)).toMatchObject({ status: 502, code: 'ai.provider_failed' });
    expect(frames[1]!.data).not.toContain('secret');
  });
});

describe('the OpenAI provider out of time', () => {
  it('When the provider does not answer in time, then it is a 504 and the reply is stored as failed', async () => {
    const h = await startAiFamily({ provider: 'openai', openAiTimeoutMs: 300 });
    try {
      h.openai!.script({ kind: 'hang' });
      const learner = await h.user();
      const id = await h.conversation(learner, 'elara');

      const res = await h.send(learner, id, 'Hello?');

      expect([res.status, res.body.code]).toEqual([504, 'ai.provider_timeout']);
      const { rows } = await h.pool.query(`SELECT status, error_code FROM messages WHERE role = 'assistant'`);
      expect(rows).toEqual([{ status: 'failed', error_code: 'ai.provider_timeout' }]);
    } finally {
      await h.close();
    }
  });

  it('When a JSON reply would outlast the reply deadline, then it is a 504 even though the provider keeps going', async () => {
    const h = await startAiFamily({ provider: 'openai', settings: { replyTimeoutMs: 300 } });
    try {
      h.openai!.script({ kind: 'hang' });
      const learner = await h.user();
      const id = await h.conversation(learner, 'elara');

      const res = await h.send(learner, id, 'Hello?');

      expect([res.status, res.body.code]).toEqual([504, 'ai.provider_timeout']);
    } finally {
      await h.close();
    }
  });
});

describe('a streamed reply that stalls', () => {
  it('When the provider stops sending mid-stream, then the reply ends at the stream deadline as a timeout, keeping its text', async () => {
    const h = await startAiFamily({ provider: 'openai', settings: { streamTimeoutMs: 400 } });
    try {
      h.openai!.script({ kind: 'stall', chunks: ['Begin'] });
      const learner = await h.user();
      const id = await h.conversation(learner, 'elara');

      const stream = await h.sendStreaming(learner, id, 'Hi');
      const frames = await stream.rest();

      expect(frames.map((f) => f.event)).toEqual(['start', 'token', 'error']);
      expect(JSON.parse(frames[2]!.data)).toMatchObject({ status: 504, code: 'ai.provider_timeout' });
      const { rows } = await h.pool.query(`SELECT status, content, error_code FROM messages WHERE role = 'assistant'`);
      expect(rows).toEqual([{ status: 'failed', content: 'Begin', error_code: 'ai.provider_timeout' }]);
    } finally {
      await h.close();
    }
  });
});

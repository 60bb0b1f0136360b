// Replies streamed as Server-Sent Events through the real OpenAI SDK and a local
// OpenAI-compatible server: tokens arrive one by one, the reply is stored when it ends, it goes
// on when the client disconnects, a client re-attaches from its Last-Event-ID, a reply can be
// cancelled, and shutdown or a dead process leaves no reply 'streaming' forever.
import request from 'supertest';
import { waitFor } from '@azora/testing';
import { createGate } from './support/gate';
import { startAiFamily, type Harness } from './support/harness';
import { openStream, textOf, type Frame } from './support/sse';

const json = (frame: Frame | null) => JSON.parse(frame!.data) as Record<string, unknown>;

async function replyRow(h: Harness, id: string) {
  const { rows } = await h.pool.query(
    `SELECT status, content, error_code, prompt_tokens, completion_tokens FROM messages WHERE id = $1`,
    [id],
  );
  return rows[0];
}

describe('streamed replies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAiFamily({ provider: 'openai' });
  });
  afterAll(() => h.close());

  async function startStream(content = 'Tell me about soil') {
    const learner = await h.user();
    const conversationId = await h.conversation(learner, 'elara');
    const stream = await h.sendStreaming(learner, conversationId, content);
    const start = json(await stream.next());
    return { learner, conversationId, stream, start, replyId: (start['reply'] as { id: string }).id };
  }

  it('When a reply streams, then each token arrives before the next is written and the whole reply is stored', async () => {
    const gate = createGate();
    h.openai!.script({
      kind: 'chunks',
      chunks: ['Hel', 'lo', ' there'],
      usage: { prompt: 30, completion: 3 },
      gate: gate.wait,
    });

    const { stream, start, replyId } = await startStream();
    const first = await stream.next();
    gate.open();
    const second = await stream.next();
    gate.open();
    const rest = await stream.rest();

    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    expect(start['reply']).toMatchObject({ status: 'streaming', personaId: 'elara', provider: 'openai' });
    expect(start['message']).toMatchObject({ role: 'user', content: 'Tell me about soil' });
    expect([first, second]).toEqual([
      { event: 'token', id: '1', data: JSON.stringify({ token: 'Hel' }) },
      { event: 'token', id: '2', data: JSON.stringify({ token: 'lo' }) },
    ]);
    expect(rest.map((f) => f.event)).toEqual(['token', 'done']);
    expect(json(rest[1]!)).toMatchObject({
      id: replyId,
      status: 'complete',
      content: 'Hello there',
      usage: { totalTokens: 33 },
    });
    expect(await replyRow(h, replyId)).toMatchObject({
      status: 'complete',
      content: 'Hello there',
      prompt_tokens: 30,
      completion_tokens: 3,
    });
  });

  it('When the client disconnects mid-reply, then the reply is finished and stored, and re-attaching resumes after Last-Event-ID', async () => {
    const gate = createGate();
    h.openai!.script({ kind: 'chunks', chunks: ['a', 'b', 'c', 'd'], gate: gate.wait });
    const { learner, conversationId, stream, replyId } = await startStream();
    expect(json(await stream.next())).toEqual({ token: 'a' });

    stream.close();
    gate.openAll();
    await waitFor(async () => expect((await replyRow(h, replyId)).status).toBe('complete'), {
      what: 'the reply to be stored',
    });
    const again = await openStream(`${h.url}/conversations/${conversationId}/messages/${replyId}/stream`, {
      token: learner.token,
      headers: { 'last-event-id': '1' },
    });
    const frames = await again.rest();

    expect((await replyRow(h, replyId)).content).toBe('abcd');
    expect(frames[0]).toMatchObject({ event: 'start' });
    expect(json(frames[0]!)['message']).toBeNull();
    expect(frames.slice(1, 4).map((f) => [f.id, JSON.parse(f.data).token])).toEqual([
      ['2', 'b'],
      ['3', 'c'],
      ['4', 'd'],
    ]);
    expect(frames[4]).toMatchObject({ event: 'done' });
  });

  it('When a second client re-attaches while the reply is written, then both receive every remaining token', async () => {
    const gate = createGate();
    h.openai!.script({ kind: 'chunks', chunks: ['one ', 'two ', 'three'], gate: gate.wait });
    const { learner, conversationId, stream, replyId } = await startStream();
    expect(json(await stream.next())).toEqual({ token: 'one ' });

    const second = await openStream(`${h.url}/conversations/${conversationId}/messages/${replyId}/stream?after=1`, {
      token: learner.token,
    });
    const start = json(await second.next());
    gate.openAll();
    const [firstRest, secondRest] = await Promise.all([stream.rest(), second.rest()]);

    expect(start['reply']).toMatchObject({ id: replyId, status: 'streaming' });
    expect(textOf(firstRest)).toBe('two three');
    expect(textOf(secondRest)).toBe('two three');
    expect(secondRest.at(-1)).toMatchObject({ event: 'done' });
  });

  it('When a reply is cancelled, then it stops, is stored as cancelled with what it wrote, and the stream says so', async () => {
    const gate = createGate();
    h.openai!.script({ kind: 'chunks', chunks: ['Partial', ' answer', ' never sent'], gate: gate.wait });
    const { learner, conversationId, stream, replyId } = await startStream();
    expect(json(await stream.next())).toEqual({ token: 'Partial' });

    const cancelled = await request(h.app)
      .post(`/conversations/${conversationId}/messages/${replyId}/cancel`)
      .set(learner.auth);
    const rest = await stream.rest();
    const again = await request(h.app)
      .post(`/conversations/${conversationId}/messages/${replyId}/cancel`)
      .set(learner.auth);
    gate.openAll();

    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', content: 'Partial' });
    expect(rest.at(-1)).toMatchObject({ event: 'done' });
    expect(json(rest.at(-1)!)).toMatchObject({ status: 'cancelled' });
    expect([again.status, again.body.status]).toEqual([200, 'cancelled']);
    const budget = await h.pool.query(`SELECT reserved_tokens FROM usage_budgets WHERE user_id = $1`, [learner.id]);
    expect(budget.rows[0].reserved_tokens).toBe(0);
  });

  it('When a reply is written in progress, then another message in the conversation is a 409 until it ends', async () => {
    const gate = createGate();
    h.openai!.script({ kind: 'chunks', chunks: ['x', 'y'], gate: gate.wait });
    const { learner, conversationId, stream, replyId } = await startStream();
    await stream.next();

    const busy = await h.send(learner, conversationId, 'And?');
    gate.openAll();
    await stream.rest();

    expect([busy.status, busy.body.code, busy.body.replyId]).toEqual([409, 'ai.reply_in_progress', replyId]);
  });

  it('When a conversation is deleted while its reply is written, then the reply stops and its reservation is released', async () => {
    const gate = createGate();
    h.openai!.script({ kind: 'chunks', chunks: ['Some', ' more', ' text'], gate: gate.wait });
    const { learner, conversationId, stream } = await startStream();
    expect(json(await stream.next())).toEqual({ token: 'Some' });

    const deleted = await request(h.app).delete(`/conversations/${conversationId}`).set(learner.auth);
    const rest = await stream.rest();
    gate.openAll();

    expect(deleted.status).toBe(204);
    expect(rest.at(-1)).toMatchObject({ event: 'error' });
    expect(json(rest.at(-1)!)).toMatchObject({ code: 'ai.message_not_found' });
    const budget = await h.pool.query(`SELECT reserved_tokens FROM usage_budgets WHERE user_id = $1`, [learner.id]);
    expect(budget.rows[0].reserved_tokens).toBe(0);
  });

  it('When the user message is a re-attach target, then it is a 409: only replies stream', async () => {
    h.openai!.script({ kind: 'reply', text: 'Fine.' });
    const learner = await h.user();
    const conversationId = await h.conversation(learner, 'elara');
    const sent = await h.send(learner, conversationId, 'Hi');

    const res = await request(h.app)
      .get(`/conversations/${conversationId}/messages/${sent.body.message.id}/stream`)
      .set(learner.auth);

    expect([res.status, res.body.code]).toEqual([409, 'ai.not_a_reply']);
  });

  it('When a reply was left streaming by a process that died, then re-attaching ends it as interrupted', async () => {
    h.openai!.script({ kind: 'reply', text: 'Half a rep' });
    const learner = await h.user();
    const conversationId = await h.conversation(learner, 'elara');
    const sent = await h.send(learner, conversationId, 'Hi');
    const replyId = sent.body.reply.id as string;
    // As a process that died mid-reply leaves it: streaming, its reservation held, heartbeat stopped.
    await h.pool.query(`UPDATE messages SET status = 'streaming', heartbeat_at = $2 WHERE id = $1`, [
      replyId,
      h.clock.now(),
    ]);
    await h.pool.query(`UPDATE usage_budgets SET reserved_tokens = reserved_tokens + 500 WHERE user_id = $1`, [
      learner.id,
    ]);
    await h.pool.query(`UPDATE messages SET reserved_tokens = 500 WHERE id = $1`, [replyId]);
    h.clock.advance(10 * 60_000);

    const stream = await openStream(`${h.url}/conversations/${conversationId}/messages/${replyId}/stream`, {
      token: learner.token,
    });
    const frames = await stream.rest();

    expect(frames.map((f) => f.event)).toEqual(['start', 'token', 'error']);
    expect(json(frames[2]!)).toMatchObject({ status: 503, code: 'ai.reply_interrupted', replyId });
    expect(await replyRow(h, replyId)).toMatchObject({
      status: 'failed',
      error_code: 'ai.reply_interrupted',
      content: 'Half a rep',
    });
    const budget = await h.pool.query(`SELECT reserved_tokens FROM usage_budgets WHERE user_id = $1`, [learner.id]);
    expect(budget.rows[0].reserved_tokens).toBe(0);
  });
});

describe('shutting down with replies in progress', () => {
  it('When the service stops mid-reply, then the reply is stored as interrupted and its reservation released', async () => {
    const h = await startAiFamily({ provider: 'openai' });
    try {
      const gate = createGate();
      h.openai!.script({ kind: 'chunks', chunks: ['first', ' second'], gate: gate.wait });
      const learner = await h.user();
      const conversationId = await h.conversation(learner, 'elara');
      const stream = await h.sendStreaming(learner, conversationId, 'Hello');
      const replyId = (json(await stream.next())['reply'] as { id: string }).id;
      await stream.next();

      await h.shutdown();
      const rest = await stream.rest();
      gate.openAll();

      expect(rest.map((f) => f.event)).not.toContain('done');
      expect(await replyRow(h, replyId)).toMatchObject({
        status: 'failed',
        error_code: 'ai.reply_interrupted',
        content: 'first',
      });
      const budget = await h.pool.query(`SELECT reserved_tokens FROM usage_budgets WHERE user_id = $1`, [learner.id]);
      expect(budget.rows[0].reserved_tokens).toBe(0);
    } finally {
      await h.close();
    }
  });
});

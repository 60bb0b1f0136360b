// Personas and conversations: the eleven personas, a conversation only its owner sees, its
// messages in order, deletion, and hostile input as 400 problems with nothing written.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { MAX_MESSAGE_CHARS } from '@azora/contracts';
import { startAiFamily, type Harness } from './support/harness';

describe('personas and conversations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAiFamily();
  });
  afterAll(() => h.close());

  it('When the personas are listed, then the eleven come with name, role, description and domain, Elara the default', async () => {
    const res = await request(h.app).get('/personas');

    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { name: string }) => p.name)).toEqual([
      'Elara',
      'Sankofa',
      'Themba',
      'Naledi',
      'Jabari',
      'Amara',
      'Kofi',
      'Zola',
      'Abeni',
      'Thembo',
      'Nexus',
    ]);
    for (const persona of res.body.items) {
      expect(persona).toEqual({
        id: expect.any(String),
        name: expect.any(String),
        role: expect.any(String),
        description: expect.any(String),
        domain: expect.arrayContaining([expect.any(String)]),
        isDefault: persona.id === 'elara',
      });
    }
  });

  it('When a learner starts conversations, then they are listed for them, newest activity first', async () => {
    const learner = await h.user();
    const withElara = await h.conversation(learner, 'elara');
    const routed = await h.conversation(learner);
    h.clock.advance(1_000);
    await h.send(learner, withElara, 'Hello there');

    const res = await request(h.app).get('/conversations').set(learner.auth);

    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([withElara, routed]);
    expect(res.body.items[0]).toMatchObject({ personaId: 'elara', title: 'Hello there', messageCount: 2 });
    expect(res.body.items[1]).toMatchObject({ personaId: null, title: 'New conversation', messageCount: 0 });
  });

  it("When another user asks for a learner's conversation in any way, then it is a 404 and nothing changes", async () => {
    const owner = await h.user();
    const stranger = await h.user();
    const id = await h.conversation(owner, 'elara');
    const sent = await h.send(owner, id, 'Hi');
    const replyId = sent.body.reply.id as string;

    const answers = await Promise.all([
      request(h.app).get(`/conversations/${id}`).set(stranger.auth),
      request(h.app).get(`/conversations/${id}/messages`).set(stranger.auth),
      h.send(stranger, id, 'Mine now'),
      request(h.app).delete(`/conversations/${id}`).set(stranger.auth),
      request(h.app).get(`/conversations/${id}/messages/${replyId}/stream`).set(stranger.auth),
      request(h.app).post(`/conversations/${id}/messages/${replyId}/cancel`).set(stranger.auth),
    ]);

    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(answers[0]!.body.code).toBe('conversation.not_found');
    expect(answers[4]!.body.code).toBe('ai.message_not_found');
    expect((await request(h.app).get('/conversations').set(stranger.auth)).body.items).toEqual([]);
    const mine = await request(h.app).get(`/conversations/${id}/messages`).set(owner.auth);
    expect(mine.body.items).toHaveLength(2);
  });

  it('When a conversation is deleted, then it and its messages are gone', async () => {
    const learner = await h.user();
    const id = await h.conversation(learner, 'themba');
    await h.send(learner, id, 'Help me focus');

    const deleted = await request(h.app).delete(`/conversations/${id}`).set(learner.auth);

    expect(deleted.status).toBe(204);
    expect((await request(h.app).get(`/conversations/${id}`).set(learner.auth)).status).toBe(404);
    const { rows } = await h.pool.query('SELECT 1 FROM messages WHERE conversation_id = $1', [id]);
    expect(rows).toEqual([]);
  });

  it('When messages are listed page by page, then each appears once, oldest first', async () => {
    const learner = await h.user();
    const id = await h.conversation(learner, 'elara');
    for (const content of ['one', 'two', 'three']) await h.send(learner, id, content);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(h.app)
        .get(`/conversations/${id}/messages`)
        .query({ limit: 4, ...(cursor ? { cursor } : {}) })
        .set(learner.auth);
      seen.push(
        ...res.body.items.map((m: { role: string; content: string }) => (m.role === 'user' ? m.content : 'reply')),
      );
      cursor = res.body.nextCursor;
    } while (cursor);

    expect(seen).toEqual(['one', 'reply', 'two', 'reply', 'three', 'reply']);
  });

  it('When a message is empty, blank or too long, then it is a 400 naming body.content and nothing is stored', async () => {
    const learner = await h.user();
    const id = await h.conversation(learner, 'elara');

    const answers = await Promise.all(
      ['', '   \n ', 'x'.repeat(MAX_MESSAGE_CHARS + 1)].map((content) => h.send(learner, id, content)),
    );
    const missing = await request(h.app).post(`/conversations/${id}/messages`).set(learner.auth).send({});

    for (const res of [...answers, missing]) {
      expect(res.status).toBe(400);
      expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['body.content']);
    }
    const { rows } = await h.pool.query('SELECT 1 FROM messages WHERE conversation_id = $1', [id]);
    expect(rows).toEqual([]);
  });

  it('When the persona, a path id, a NUL character or a query is hostile, then it is a 400, never a 500', async () => {
    const learner = await h.user();
    const id = await h.conversation(learner);

    const answers = await Promise.all([
      request(h.app).post('/conversations').set(learner.auth).send({ personaId: 'gandalf' }),
      request(h.app).get('/conversations/not-a-uuid/messages').set(learner.auth),
      h.send(learner, id, 'nul \u0000 here'),
      request(h.app).get('/conversations?limit[]=1').set(learner.auth),
      request(h.app).get(`/conversations?cursor=nonsense`).set(learner.auth),
      request(h.app)
        .get(`/conversations/${id}/messages/${randomUUID()}/stream`)
        .set(learner.auth)
        .set('last-event-id', 'x'),
    ]);

    expect(answers.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(answers[0]!.body.issues[0].path).toBe('body.personaId');
    expect(answers[4]!.body.code).toBe('request.invalid_cursor');
  });

  it('When nobody is signed in, then the conversation routes are 401 and the personas are public', async () => {
    expect((await request(h.app).get('/conversations')).status).toBe(401);
    expect((await request(h.app).post('/conversations').send({})).status).toBe(401);
    expect((await request(h.app).get('/personas')).status).toBe(200);
  });
});

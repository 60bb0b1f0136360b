// The ai namespace: each method calls its route, the types are the contracts', and the reply
// stream's frames, shaped exactly as AI Family sends them (start, token with its index as id,
// done, error), are read by streamMessage and by streamReply/followReply, which re-attach after
// the last token when the connection drops.
import { randomUUID } from 'node:crypto';
import { type Response } from 'express';
import type * as C from '@azora/contracts';
import type { z } from 'zod';
import {
  CreateConversationRequest,
  MessageListQuery,
  SendMessageRequest,
  type Conversation,
  type Message,
  type PersonaId,
  type Problem,
} from '@azora/contracts';
import { AzoraApiError, createAzoraClient, type AzoraClient } from '../src';
import { sendProblem, startFakeGateway, type FakeGateway, type RecordedRequest } from './support/fake-gateway';
import { newUser } from './support/users';
import { assertType, type Arg, type Equal, type Result } from './support/type-assertions';

type Ai = AzoraClient['ai'];

// Checked by the compiler (npm run typecheck): a contract change the client does not follow fails the build.
assertType<Equal<Result<Ai['listPersonas']>, z.output<typeof C.PersonaList>>>();
assertType<Equal<Arg<Ai['createConversation']>, z.input<typeof C.CreateConversationRequest>>>();
assertType<Equal<Result<Ai['createConversation']>, z.output<typeof C.Conversation>>>();
assertType<Equal<Arg<Ai['listConversations']>, z.input<typeof C.ConversationListQuery> | undefined>>();
assertType<Equal<Result<Ai['listConversations']>, z.output<typeof C.ConversationPage>>>();
assertType<Equal<Arg<Ai['sendMessage'], 1>, z.input<typeof C.SendMessageRequest>>>();
assertType<Equal<Result<Ai['sendMessage']>, z.output<typeof C.MessageExchange>>>();
assertType<Equal<Result<Ai['listMessages']>, z.output<typeof C.MessagePage>>>();
assertType<Equal<Result<Ai['cancelReply']>, z.output<typeof C.Message>>>();
assertType<Equal<Result<Ai['getUsage']>, z.output<typeof C.UsageBudget>>>();

let gateway: FakeGateway;
/** Records every call, answering 200 {}: for the route table. */
let recorder: FakeGateway;
const conversationId = randomUUID();
const droppedReplyId = randomUUID();
const received: { route: string; body?: unknown; query?: unknown; lastEventId?: string | undefined }[] = [];

function aMessage(fields: Partial<Message>): Message {
  return {
    id: randomUUID(),
    conversationId,
    role: 'assistant',
    content: '',
    status: 'complete',
    personaId: 'elara',
    routing: { mode: 'conversation', matched: [] },
    consulted: [],
    provider: 'offline',
    model: 'azora-offline-tutor',
    usage: null,
    citations: [],
    errorCode: null,
    createdAt: '2026-03-02T09:00:00.000Z',
    completedAt: null,
    ...fields,
  };
}

function frame(res: Response, event: string, data: unknown, id?: number): void {
  res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

beforeAll(async () => {
  recorder = await startFakeGateway();
  gateway = await startFakeGateway((app, gw) => {
    app.get('/api/ai/conversations/:id/messages/:messageId/stream', (req, res) => {
      if (!gw.requireUser(req, res)) return;
      received.push({ route: 'follow', lastEventId: req.get('last-event-id') });
      const reply = aMessage({ id: String(req.params.messageId), status: 'streaming' });
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('retry: 10\n\n');
      frame(res, 'start', { message: null, reply });
      const after = Number(req.get('last-event-id') ?? 0);
      const tokens = ['one ', 'two ', 'three'];
      // Sends one token before the one asked for, as a resend after a race would: it must be skipped.
      for (let i = Math.max(0, after - 1); i < tokens.length; i++) frame(res, 'token', { token: tokens[i] }, i + 1);
      frame(res, 'done', { ...reply, status: 'complete', content: tokens.join('') });
      res.end();
    });
    app.get('/api/ai/personas', (_req, res) => {
      res.json({
        items: [
          {
            id: 'elara',
            name: 'Elara',
            role: 'the teacher',
            description: 'Explains',
            domain: ['lessons'],
            isDefault: true,
          },
        ],
      });
    });
    app.post('/api/ai/conversations', (req, res) => {
      if (!gw.requireUser(req, res)) return;
      const body = CreateConversationRequest.parse(req.body);
      received.push({ route: 'create', body: req.body });
      const conversation: Conversation = {
        id: conversationId,
        personaId: body.personaId ?? null,
        title: body.title ?? 'New conversation',
        messageCount: 0,
        createdAt: '2026-03-02T09:00:00.000Z',
        updatedAt: '2026-03-02T09:00:00.000Z',
      };
      res.status(201).json(conversation);
    });
    app.get('/api/ai/conversations/:id/messages', (req, res) => {
      if (!gw.requireUser(req, res)) return;
      received.push({ route: 'list', query: MessageListQuery.parse(req.query) });
      res.json({ items: [aMessage({ role: 'user', content: 'Hi', personaId: null })], nextCursor: null });
    });
    app.post('/api/ai/conversations/:id/messages', (req, res) => {
      if (!gw.requireUser(req, res)) return;
      const { content } = SendMessageRequest.parse(req.body);
      received.push({ route: 'send', body: req.body });
      const message = aMessage({ role: 'user', content, personaId: null, routing: null });
      if (content === 'over budget') {
        return sendProblem(res, 429, 'ai.budget_exceeded', 'Used up', {
          limit: 100,
          used: 100,
          resetsAt: '2026-03-03T00:00:00.000Z',
        });
      }
      if (req.get('accept') !== 'text/event-stream') {
        res.status(201).json({ message, reply: aMessage({ content: 'Soil is alive.' }) });
        return;
      }
      const reply = aMessage({ id: content === 'drop' ? droppedReplyId : randomUUID(), status: 'streaming' });
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('retry: 10\n\n');
      frame(res, 'start', { message, reply });
      if (content === 'drop') {
        frame(res, 'token', { token: 'one ' }, 1);
        frame(res, 'token', { token: 'two ' }, 2);
        res.flushHeaders();
        setTimeout(() => res.destroy(), 20);
        return;
      }
      if (content === 'fail') {
        const problem: Problem = {
          type: 'https://azora.dev/problems/ai.provider_failed',
          title: 'The AI provider failed',
          status: 502,
          detail: 'The AI provider could not produce a reply',
          code: 'ai.provider_failed',
          replyId: reply.id,
        };
        frame(res, 'error', problem);
        res.end();
        return;
      }
      frame(res, 'token', { token: 'Soil ' }, 1);
      res.write(': heartbeat\n\n');
      frame(res, 'token', { token: 'is alive.' }, 2);
      frame(res, 'done', { ...reply, status: 'complete', content: 'Soil is alive.' });
      res.end();
    });
  });
});

afterAll(async () => {
  await gateway.close();
  await recorder.close();
});

async function signedIn(): Promise<AzoraClient> {
  const client = createAzoraClient({ baseUrl: gateway.url });
  await client.auth.register(newUser());
  return client;
}

test('When personas, conversations and messages are asked for, then the answers come typed by the contracts', async () => {
  const client = await signedIn();

  const personas = await client.ai.listPersonas();
  const routed = await client.ai.createConversation({});
  const withElara = await client.ai.createConversation({ personaId: 'elara', title: 'Soil' });
  const exchange = await client.ai.sendMessage(routed.id, { content: 'What is soil?' });
  const page = await client.ai.listMessages(routed.id, { limit: 10 });

  const first: PersonaId = personas.items[0]!.id;
  expect(first).toBe('elara');
  expect(routed.personaId).toBeNull();
  expect([withElara.personaId, withElara.title]).toEqual(['elara', 'Soil']);
  expect(exchange.reply.content).toBe('Soil is alive.');
  expect(exchange.message.content).toBe('What is soil?');
  expect(page.items[0]!.role).toBe('user');
  expect(received.filter((r) => r.route === 'list').at(-1)!.query).toEqual({ limit: 10 });
});

test('When a persona id is not one of the family, then the client does not compile it', () => {
  const client = createAzoraClient({ baseUrl: 'http://127.0.0.1:1' });
  // @ts-expect-error "gandalf" is no persona of the AI family
  const call = () => client.ai.createConversation({ personaId: 'gandalf' });
  expect(typeof call).toBe('function');
});

test('When a reply streams as AI Family writes it, then the tokens come out and start, heartbeats and done do not', async () => {
  const client = await signedIn();
  const tokens: string[] = [];

  for await (const token of client.ai.streamMessage(conversationId, 'Tell me about soil')) tokens.push(token);

  expect(tokens).toEqual(['Soil ', 'is alive.']);
});

test('When a streamed reply fails, then the loop rejects with the problem of its error frame', async () => {
  const client = await signedIn();

  const error = await (async () => {
    for await (const token of client.ai.streamMessage(conversationId, 'fail')) void token;
  })().catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AzoraApiError);
  expect(error).toMatchObject({ status: 502, code: 'ai.provider_failed' });
  expect((error as AzoraApiError).problem?.['replyId']).toEqual(expect.any(String));
});

test('When the budget is used up, then sending rejects with a 429 whose problem says when it resets', async () => {
  const client = await signedIn();

  const json = await client.ai.sendMessage(conversationId, { content: 'over budget' }).catch((e: unknown) => e);
  const streamed = await (async () => {
    for await (const token of client.ai.streamMessage(conversationId, 'over budget')) void token;
  })().catch((e: unknown) => e);

  for (const error of [json, streamed]) {
    expect(error).toMatchObject({ status: 429, code: 'ai.budget_exceeded' });
    expect((error as AzoraApiError).problem?.['resetsAt']).toBe('2026-03-03T00:00:00.000Z');
  }
});

test('When a streamed reply’s connection drops, then streamReply re-attaches after the last token and yields each once', async () => {
  const client = await signedIn();
  const followsBefore = received.filter((r) => r.route === 'follow').length;

  const events = [];
  for await (const event of client.ai.streamReply(conversationId, 'drop')) events.push(event);

  expect(events.map((e) => (e.type === 'token' ? `${e.index}:${e.token}` : e.type))).toEqual([
    'start',
    '1:one ',
    '2:two ',
    '3:three',
    'done',
  ]);
  expect(events[0]).toMatchObject({ type: 'start', message: { content: 'drop' }, reply: { id: droppedReplyId } });
  expect(events.at(-1)).toMatchObject({ type: 'done', reply: { status: 'complete', content: 'one two three' } });
  const follows = received.filter((r) => r.route === 'follow').slice(followsBefore);
  expect(follows).toEqual([{ route: 'follow', lastEventId: '2' }]);
});

test('When a reader comes back to a reply, then followReply resumes after its lastEventId', async () => {
  const client = await signedIn();
  const replyId = randomUUID();

  const events = [];
  for await (const event of client.ai.followReply(conversationId, replyId, { lastEventId: 2 })) events.push(event);

  expect(events.map((e) => e.type)).toEqual(['start', 'token', 'done']);
  expect(events[1]).toEqual({ type: 'token', index: 3, token: 'three' });
  expect(received.at(-1)).toEqual({ route: 'follow', lastEventId: '2' });
});

test('When a reply fails, then streamReply rejects with its problem and does not re-attach', async () => {
  const client = await signedIn();
  const followsBefore = received.filter((r) => r.route === 'follow').length;

  const error = await (async () => {
    for await (const event of client.ai.streamReply(conversationId, 'fail')) void event;
  })().catch((e: unknown) => e);

  expect(error).toMatchObject({ status: 502, code: 'ai.provider_failed' });
  expect(received.filter((r) => r.route === 'follow').length).toBe(followsBefore);
});

type Case = [
  name: string,
  call: (client: AzoraClient) => Promise<unknown>,
  method: string,
  path: string,
  body?: unknown,
];
const id = '0b6f7b1e-2f4c-4d8e-9a1b-3c5d7e9f1a2b';
const other = '9e8d7c6b-5a49-4382-b1c0-d9e8f7a6b5c4';

const cases: Case[] = [
  ['listPersonas', (c) => c.ai.listPersonas(), 'GET', '/api/ai/personas'],
  [
    'createConversation',
    (c) => c.ai.createConversation({ personaId: 'elara' }),
    'POST',
    '/api/ai/conversations',
    { personaId: 'elara' },
  ],
  ['listConversations', (c) => c.ai.listConversations({ limit: 5 }), 'GET', '/api/ai/conversations'],
  ['getConversation', (c) => c.ai.getConversation(id), 'GET', `/api/ai/conversations/${id}`],
  ['deleteConversation', (c) => c.ai.deleteConversation(id), 'DELETE', `/api/ai/conversations/${id}`],
  [
    'sendMessage',
    (c) => c.ai.sendMessage(id, { content: 'Hi' }),
    'POST',
    `/api/ai/conversations/${id}/messages`,
    { content: 'Hi' },
  ],
  ['listMessages', (c) => c.ai.listMessages(id), 'GET', `/api/ai/conversations/${id}/messages`],
  ['cancelReply', (c) => c.ai.cancelReply(id, other), 'POST', `/api/ai/conversations/${id}/messages/${other}/cancel`],
  ['getUsage', (c) => c.ai.getUsage(), 'GET', '/api/ai/usage'],
];
/** Covered by the stream tests above. */
const STREAMS = ['streamMessage', 'streamReply', 'followReply'];

test.each(cases.map(([name, call, method, path, body]) => ({ name, call, method, path, body })))(
  'When ai.$name is called, then it sends its method and path with the access token',
  async ({ call, method, path, body }) => {
    const client = createAzoraClient({ baseUrl: recorder.url });
    await client.auth.register(newUser());
    const before = recorder.recorded.length;

    await call(client);

    const request: RecordedRequest = recorder.recorded[before]!;
    expect(recorder.recorded.length).toBe(before + 1);
    expect([request.method, request.path]).toEqual([method, path]);
    expect(request.headers['authorization']).toBe(`Bearer ${client.getTokens().accessToken}`);
    if (body !== undefined) expect(request.body).toEqual(body);
  },
);

test('When every ai method is listed, then each has a case or a stream test', () => {
  const client = createAzoraClient({ baseUrl: 'http://127.0.0.1:1' });

  expect(Object.keys(client.ai).filter((m) => !cases.some(([name]) => name === m) && !STREAMS.includes(m))).toEqual([]);
});

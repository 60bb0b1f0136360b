// The ai namespace against answers shaped exactly as AI Family sends them (the contracts of
// packages/contracts/src/ai.ts): typed personas, conversations and message exchanges, and the
// reply stream's frames (start, token with its index as id, done, error) read by streamMessage.
import { randomUUID } from 'node:crypto';
import { type Response } from 'express';
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
import { sendProblem, startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { newUser } from './support/users';

let gateway: FakeGateway;
const conversationId = randomUUID();
const received: { route: string; body?: unknown; query?: unknown }[] = [];

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
  gateway = await startFakeGateway((app, gw) => {
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
      const reply = aMessage({ status: 'streaming' });
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('retry: 2000\n\n');
      frame(res, 'start', { message, reply });
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

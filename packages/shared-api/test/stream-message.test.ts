// ai.streamMessage against a real text/event-stream response: tokens as they arrive, the end
// markers, the refresh of an expired token, stream errors, early exit and abort.
import { type Response } from 'express';
import { waitFor } from '@azora/testing';
import { AzoraApiError, createAzoraClient, tokenOf, type AzoraClient } from '../src';
import { sendProblem, startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { newUser } from './support/users';

type Script = (res: Response, step: (name: string) => Promise<void>) => Promise<void>;

let gateway: FakeGateway;
/** What the SSE route writes, per conversation id. */
const scripts = new Map<string, Script>();
const received: { conversationId: string; accept: string | undefined; body: unknown }[] = [];
const closed = new Set<string>();
/** Steps the test lets the server pass, by name. */
const gates = new Map<string, () => void>();
const waiting = new Map<string, Promise<void>>();

function gate(name: string): Promise<void> {
  if (!waiting.has(name)) waiting.set(name, new Promise((resolve) => gates.set(name, resolve)));
  return waiting.get(name)!;
}
function open(name: string): void {
  void gate(name);
  gates.get(name)!();
}

beforeAll(async () => {
  gateway = await startFakeGateway((app, gw) => {
    app.post('/api/ai/conversations/:id/messages', async (req, res) => {
      const id = String(req.params.id);
      received.push({ conversationId: id, accept: req.get('accept'), body: req.body });
      if (!gw.requireUser(req, res)) return;
      const script = scripts.get(id);
      if (!script) return sendProblem(res, 404, 'conversation.not_found', `No conversation ${id}`);
      res.on('close', () => closed.add(id));
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      res.flushHeaders();
      await script(res, gate);
      res.end();
    });
  });
});

afterAll(async () => {
  for (const release of gates.values()) release();
  await gateway.close();
});

async function signedIn(): Promise<AzoraClient> {
  const client = createAzoraClient({ baseUrl: gateway.url });
  await client.auth.register(newUser());
  return client;
}

function write(res: Response, text: string): Promise<void> {
  return new Promise((resolve, reject) => res.write(text, (error) => (error ? reject(error) : resolve())));
}

async function tokens(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const token of iterable) out.push(token);
  return out;
}

test('When the reply arrives in awkwardly split chunks, then every token comes out whole and [DONE] ends it', async () => {
  const client = await signedIn();
  scripts.set('c-chunks', async (res) => {
    const wor = Buffer.from('data: {"token":" wör"}\r\n\r\n');
    await write(res, ': keep-alive\n\nda');
    await write(res, 'ta: Hel\n');
    await write(res, '\nevent: token\r');
    await write(res, '\ndata: lo\r\n\r\n');
    await new Promise<void>((resolve) => res.write(wor.subarray(0, 18), () => resolve())); // splits the ö
    await new Promise<void>((resolve) => res.write(wor.subarray(18), () => resolve()));
    await write(res, 'event: usage\ndata: {"tokens": 4}\n\n');
    await write(res, 'data: {"content":"ld"}\n\ndata: [DONE]\n\ndata: after the end\n\n');
  });

  const got = await tokens(client.ai.streamMessage('c-chunks', 'Say hello'));

  expect(got).toEqual(['Hel', 'lo', ' wör', 'ld']);
  const request = received.find((r) => r.conversationId === 'c-chunks');
  expect(request).toEqual({ conversationId: 'c-chunks', accept: 'text/event-stream', body: { content: 'Say hello' } });
});

test('When the server has sent only the first token, then the consumer already has it', async () => {
  const client = await signedIn();
  scripts.set('c-live', async (res, step) => {
    await write(res, 'data: first\n\n');
    await step('c-live: rest');
    await write(res, 'data: second\n\nevent: done\ndata: {}\n\n');
  });

  const got: string[] = [];
  for await (const token of client.ai.streamMessage('c-live', 'hi')) {
    got.push(token);
    if (token === 'first') open('c-live: rest');
  }

  expect(got).toEqual(['first', 'second']);
});

test('When the access token has expired, then the stream is opened after one refresh', async () => {
  const client = await signedIn();
  gateway.expireAccessTokens();
  const refreshesBefore = gateway.refreshCalls;
  scripts.set('c-refresh', async (res) => {
    await write(res, 'data: ok\n\nevent: done\ndata: bye\n\n');
  });

  const got = await tokens(client.ai.streamMessage('c-refresh', 'hi'));

  expect(got).toEqual(['ok']);
  expect(gateway.refreshCalls - refreshesBefore).toBe(1);
  expect(received.filter((r) => r.conversationId === 'c-refresh')).toHaveLength(2);
});

test('When the stream sends an error event, then the loop rejects with an AzoraApiError from its problem', async () => {
  const client = await signedIn();
  scripts.set('c-error', async (res) => {
    await write(res, 'data: partial\n\n');
    await write(
      res,
      `event: error\ndata: ${JSON.stringify({ type: 'https://azora.dev/problems/ai.budget_exceeded', title: 'Too Many Requests', status: 429, code: 'ai.budget_exceeded', detail: 'Daily budget used up' })}\n\n`,
    );
  });
  const got: string[] = [];

  const error = await (async () => {
    for await (const token of client.ai.streamMessage('c-error', 'hi')) got.push(token);
  })().catch((e: unknown) => e);

  expect(got).toEqual(['partial']);
  expect(error).toBeInstanceOf(AzoraApiError);
  expect(error).toMatchObject({ status: 429, code: 'ai.budget_exceeded', detail: 'Daily budget used up' });
});

test('When the stream sends an error event that is not a problem, then the loop rejects with client.stream_failed', async () => {
  const client = await signedIn();
  scripts.set('c-error-text', async (res) => {
    await write(res, 'event: error\ndata: the model went away\n\n');
  });

  const error = await tokens(client.ai.streamMessage('c-error-text', 'hi')).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AzoraApiError);
  expect(error).toMatchObject({ status: 502, code: 'client.stream_failed', detail: 'the model went away' });
});

test('When the route answers a problem instead of a stream, then the loop rejects with it', async () => {
  const client = await signedIn();

  const error = await tokens(client.ai.streamMessage('c-missing', 'hi')).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AzoraApiError);
  expect(error).toMatchObject({ status: 404, code: 'conversation.not_found' });
  expect((error as AzoraApiError).requestId).toEqual(expect.any(String));
});

test('When the consumer breaks out of the loop, then the connection is closed', async () => {
  const client = await signedIn();
  scripts.set('c-break', async (res, step) => {
    await write(res, 'data: one\n\n');
    await step('c-break: never');
  });

  for await (const token of client.ai.streamMessage('c-break', 'hi')) {
    if (token === 'one') break;
  }

  await waitFor(() => expect(closed.has('c-break')).toBe(true), { what: 'the server to see the connection close' });
});

test('When the caller aborts mid-stream, then the loop rejects with an aborted AzoraApiError and the connection closes', async () => {
  const client = await signedIn();
  const controller = new AbortController();
  scripts.set('c-abort', async (res, step) => {
    await write(res, 'data: one\n\n');
    await step('c-abort: never');
  });

  const error = await (async () => {
    for await (const token of client.ai.streamMessage('c-abort', 'hi', { signal: controller.signal })) {
      if (token === 'one') controller.abort();
    }
  })().catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AzoraApiError);
  expect(error).toMatchObject({ status: 0, code: 'client.aborted' });
  await waitFor(() => expect(closed.has('c-abort')).toBe(true), { what: 'the server to see the connection close' });
});

test('When token frames come as JSON objects, JSON strings or plain text, then tokenOf reads each', () => {
  expect(tokenOf('{"token":"a"}')).toBe('a');
  expect(tokenOf('{"delta":"b"}')).toBe('b');
  expect(tokenOf('{"text":"c"}')).toBe('c');
  expect(tokenOf('"d e"')).toBe('d e');
  expect(tokenOf('plain text')).toBe('plain text');
  expect(tokenOf('42')).toBe('42');
  expect(tokenOf('{"usage":{"tokens":3}}')).toBeNull();
});

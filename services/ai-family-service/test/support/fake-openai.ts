// A local OpenAI-compatible server on 127.0.0.1 for the real `openai` SDK to talk to: POST
// /v1/chat/completions answering as scripted (a completion, a stream of chunks, an error status,
// or no answer at all), recording every request so tests can read the prompt that was sent.
import express, { type Response } from 'express';
import { serveOnFreePort } from '@azora/testing';

export interface ChatCompletionBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream?: boolean;
  temperature?: number;
  max_tokens?: number;
}

export type Script =
  | { kind: 'reply'; text: string; usage?: { prompt: number; completion: number } }
  /** Streams the chunks; when `gate` is given, waits for it before each chunk after the first. */
  | { kind: 'chunks'; chunks: string[]; usage?: { prompt: number; completion: number }; gate?: () => Promise<void> }
  | { kind: 'error'; status: number; message: string; headers?: Record<string, string> }
  /** Sends the first chunks, then never another byte. */
  | { kind: 'stall'; chunks?: string[] }
  | { kind: 'hang' };

export interface FakeOpenAi {
  readonly url: string;
  readonly requests: ChatCompletionBody[];
  /** The script for the next requests (the last one stays in force). */
  script(next: Script | ((body: ChatCompletionBody) => Script)): void;
  close(): Promise<void>;
}

function chunk(id: string, model: string, delta: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
}

async function stream(res: Response, body: ChatCompletionBody, script: Extract<Script, { kind: 'chunks' | 'stall' }>) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(chunk('c1', body.model, { role: 'assistant', content: '' }));
  const chunks = script.chunks ?? [];
  for (let i = 0; i < chunks.length; i++) {
    if (script.kind === 'chunks' && i > 0 && script.gate) await script.gate();
    res.write(chunk('c1', body.model, { content: chunks[i] }));
  }
  if (script.kind === 'stall') return;
  if (script.usage)
    res.write(
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [], usage: { prompt_tokens: script.usage.prompt, completion_tokens: script.usage.completion, total_tokens: script.usage.prompt + script.usage.completion } })}\n\n`,
    );
  res.end('data: [DONE]\n\n');
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: ChatCompletionBody[] = [];
  let current: Script | ((body: ChatCompletionBody) => Script) = { kind: 'reply', text: 'Hello from the model.' };
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.post('/v1/chat/completions', async (req, res) => {
    const body = req.body as ChatCompletionBody;
    requests.push(body);
    const script = typeof current === 'function' ? current(body) : current;
    switch (script.kind) {
      case 'reply': {
        const usage = script.usage ?? { prompt: 11, completion: 7 };
        res.json({
          id: 'cmpl-1',
          object: 'chat.completion',
          created: 1,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: script.text }, finish_reason: 'stop' }],
          usage: {
            prompt_tokens: usage.prompt,
            completion_tokens: usage.completion,
            total_tokens: usage.prompt + usage.completion,
          },
        });
        return;
      }
      case 'chunks':
      case 'stall':
        await stream(res, body, script);
        return;
      case 'error':
        res
          .status(script.status)
          .set(script.headers ?? {})
          .json({ error: { message: script.message, type: 'server_error' } });
        return;
      case 'hang':
        return;
    }
  });
  const { url, close } = await serveOnFreePort(app);
  return {
    url: `${url}/v1`,
    requests,
    script(next) {
      current = next;
    },
    close,
  };
}

// OpenAI, or any OpenAI-compatible server (Ollama, vLLM...) at OPENAI_BASE_URL, through the
// official SDK: chat completions, whole or streamed. Every failure becomes a ProviderFailure
// of one of three kinds; the provider's own message goes to the logs, never to the caller.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ProviderFailure, type ChatChunk, type ChatProvider, type ChatRequest } from '../domain/ports';

export interface OpenAiOptions {
  apiKey: string;
  model: string;
  baseUrl?: string | undefined;
  /** Until the answer (a stream: its headers) arrives, retries included. */
  timeoutMs: number;
  maxRetries: number;
}

function retryAfterOf(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  const seconds = value === null || value === undefined ? NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** The SDK's errors, reduced to what the caller may learn: failed, unavailable or timeout. */
export function toProviderFailure(error: unknown): unknown {
  if (error instanceof OpenAI.APIUserAbortError) return error; // our own cancel or deadline
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new ProviderFailure('timeout', error.message);
  if (error instanceof OpenAI.APIConnectionError) return new ProviderFailure('unavailable', error.message);
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    const message = `${status} ${error.message}`;
    if (status === 408 || status === 504) return new ProviderFailure('timeout', message);
    if (status === 429 || status === 503 || status === 529)
      return new ProviderFailure('unavailable', message, retryAfterOf(error.headers));
    return new ProviderFailure('failed', message);
  }
  if (error instanceof Error && error.name === 'AbortError') return error;
  return new ProviderFailure('failed', error instanceof Error ? error.message : String(error));
}

function messagesOf(request: ChatRequest): ChatCompletionMessageParam[] {
  const turns = request.turns.map((t) => ({ role: t.role, content: t.content }));
  if (request.purpose === 'consult')
    turns.splice(1, 0, {
      role: 'system',
      content: 'Answer in two or three sentences: the family’s Nexus will combine your view with the others’.',
    });
  return turns;
}

/**
 * Calls the provider with a deadline of our own until its answer (the headers, for a stream)
 * arrives, retries included: a timeout is then told apart from a lost connection by which
 * signal fired, not by the class of the SDK's error.
 */
async function untilAnswered<T>(
  signal: AbortSignal,
  timeoutMs: number,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    return await call(AbortSignal.any([signal, deadline.signal]));
  } catch (error) {
    if (deadline.signal.aborted && !signal.aborted)
      throw new ProviderFailure('timeout', `no answer within ${timeoutMs} ms`);
    throw toProviderFailure(error);
  } finally {
    clearTimeout(timer);
  }
}

export function createOpenAiProvider(options: OpenAiOptions): ChatProvider {
  const client = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    maxRetries: options.maxRetries,
  });
  const { timeoutMs } = options;
  const model = options.model;
  return {
    name: 'openai',
    model,
    async complete(request, signal) {
      const completion = await untilAnswered(signal, timeoutMs, (attempt) =>
        client.chat.completions.create(
          { model, messages: messagesOf(request), temperature: request.temperature, max_tokens: request.maxTokens },
          { signal: attempt },
        ),
      );
      const text = completion.choices[0]?.message?.content ?? '';
      const usage = completion.usage
        ? { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }
        : null;
      return { text, usage };
    },
    async *stream(request, signal): AsyncIterable<ChatChunk> {
      const stream = await untilAnswered(signal, timeoutMs, (attempt) =>
        client.chat.completions.create(
          {
            model,
            messages: messagesOf(request),
            temperature: request.temperature,
            max_tokens: request.maxTokens,
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: attempt },
        ),
      );
      try {
        for await (const chunk of stream) {
          const text = chunk.choices[0]?.delta?.content;
          if (text) yield { kind: 'token', text };
          if (chunk.usage)
            yield {
              kind: 'usage',
              usage: { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens },
            };
        }
      } catch (error) {
        throw toProviderFailure(error);
      }
    },
  };
}

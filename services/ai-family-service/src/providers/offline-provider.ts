// The embedded default when no OPENAI_API_KEY is set: an offline tutor that answers from the
// lesson passages the reply is grounded in (see domain/offline-tutor.ts), streamed word by word
// through the same path as a model's tokens.
import { sleep } from '@azora/service-kit';
import { composeOfflineAnswer, offlinePerspective, tokensOf } from '../domain/offline-tutor';
import type { ChatChunk, ChatProvider, ChatRequest } from '../domain/ports';

export const OFFLINE_MODEL = 'azora-offline-tutor';

function answerFor(request: ChatRequest): string {
  return request.purpose === 'consult'
    ? offlinePerspective(request.grounding)
    : composeOfflineAnswer(request.grounding);
}

function abortError(): Error {
  const error = new Error('aborted');
  error.name = 'AbortError';
  return error;
}

export function createOfflineProvider({ tokenDelayMs = 0 }: { tokenDelayMs?: number } = {}): ChatProvider {
  return {
    name: 'offline',
    model: OFFLINE_MODEL,
    async complete(request, signal) {
      if (signal.aborted) throw abortError();
      return { text: answerFor(request), usage: null };
    },
    async *stream(request, signal): AsyncIterable<ChatChunk> {
      for (const token of tokensOf(answerFor(request))) {
        // A short pause per word reads like typing; it also yields to the event loop so a
        // cancel or a disconnect is seen between words.
        await sleep(tokenDelayMs, signal);
        if (signal.aborted) throw abortError();
        yield { kind: 'token', text: token };
      }
    },
  };
}

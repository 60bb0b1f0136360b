// AI Family's DomainError factories. Each names a code of the catalog (statuses and titles are
// declared once, in packages/contracts/src/problems); the code is what a client branches on.
// Provider failures say what kind of failure it was, never the provider's own words.
import type { BudgetExceeded } from '@azora/contracts';
import { DomainError } from '@azora/service-kit/errors';
import type { ProviderFailureKind } from './ports';

export { invalidCursor } from '@azora/service-kit/errors';

export const conversationNotFound = (id: string) => new DomainError('conversation.not_found', `No conversation ${id}`);

export const messageNotFound = (conversationId: string, messageId: string) =>
  new DomainError('ai.message_not_found', `Conversation ${conversationId} has no message ${messageId}`);

export const notAReply = (messageId: string) =>
  new DomainError('ai.not_a_reply', `Message ${messageId} is the learner's own: only replies stream`);

export const replyInProgress = (conversationId: string, replyId: string) =>
  new DomainError(
    'ai.reply_in_progress',
    `A reply in conversation ${conversationId} is still being written: wait for it, re-attach to it or cancel it`,
    { extras: { replyId } },
  );

/** 429 with when the budget resets (Retry-After too). */
export function budgetExceeded(facts: Omit<BudgetExceeded, 'code'>, now: Date): DomainError {
  const extras: BudgetExceeded = { code: 'ai.budget_exceeded', ...facts };
  return new DomainError(
    extras.code,
    `Today's AI budget of ${facts.limit} tokens is used up (${facts.used} used); it resets at ${facts.resetsAt}`,
    { extras, retryAfterSeconds: (Date.parse(facts.resetsAt) - now.getTime()) / 1000 },
  );
}

const PROVIDER_CODES = {
  failed: 'ai.provider_failed',
  unavailable: 'ai.provider_unavailable',
  timeout: 'ai.provider_timeout',
} as const;

const PROVIDER_DETAILS = {
  failed: 'The AI provider could not produce a reply; try again, or ask differently',
  unavailable: 'The AI provider is unavailable right now; try again shortly',
  timeout: 'The AI provider did not answer in time; try again, or stream the reply',
} as const;

export type ReplyErrorCode = (typeof PROVIDER_CODES)[ProviderFailureKind] | 'ai.reply_interrupted';

export function providerCode(kind: ProviderFailureKind): ReplyErrorCode {
  return PROVIDER_CODES[kind];
}

/** The problem a failed reply answers with, from the code stored on it. */
export function replyFailed(code: string | null, replyId: string, retryAfterSeconds?: number): DomainError {
  const kind = (Object.keys(PROVIDER_CODES) as ProviderFailureKind[]).find((k) => PROVIDER_CODES[k] === code);
  if (kind) {
    return new DomainError(PROVIDER_CODES[kind], PROVIDER_DETAILS[kind], {
      extras: { replyId },
      ...(kind === 'unavailable' ? { retryAfterSeconds: retryAfterSeconds ?? 10 } : {}),
    });
  }
  return new DomainError(
    'ai.reply_interrupted',
    'The reply was interrupted before it finished; send the message again',
    {
      extras: { replyId },
      retryAfterSeconds: 1,
    },
  );
}

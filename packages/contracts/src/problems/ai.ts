// Problems of AI Family: conversations, replies, budgets and the model provider. A provider's
// failure is told by its kind only: the provider's own message never reaches the caller.
import { defineProblems } from './define';

export const AI_PROBLEMS = defineProblems({
  'ai.budget_exceeded': { status: 429, title: 'Daily AI budget used up' },
  'conversation.not_found': { status: 404, title: 'Conversation not found' },
  'ai.message_not_found': { status: 404, title: 'Message not found' },
  'ai.reply_in_progress': { status: 409, title: 'A reply is still being written' },
  'ai.not_a_reply': { status: 409, title: 'Not a reply' },
  'ai.provider_failed': { status: 502, title: 'The AI provider failed' },
  'ai.provider_unavailable': { status: 503, title: 'The AI provider is unavailable' },
  'ai.provider_timeout': { status: 504, title: 'The AI provider did not answer in time' },
  'ai.reply_interrupted': { status: 503, title: 'The reply was interrupted' },
});

// Problems of AI Family: conversations, budgets and the model provider.
import { defineProblems } from './define';

export const AI_PROBLEMS = defineProblems({
  'ai.budget_exceeded': { status: 429, title: 'Daily AI budget used up' },
  'conversation.not_found': { status: 404, title: 'Conversation not found' },
});

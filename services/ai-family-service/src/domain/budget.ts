// The daily token budget: per user per UTC day. A reply reserves what it may cost before the
// provider is called (the prompt's estimate plus the most it may write) and settles to what it
// did cost when it ends, so replies running at once can never overspend the day together.
import type { ChatTurn, ChatUsage } from './ports';

/** About four characters per token for English text: the usual rule of thumb. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A chat prompt's tokens: each turn's text plus a few for its framing. */
export function estimatePromptTokens(turns: readonly ChatTurn[]): number {
  return turns.reduce((sum, turn) => sum + estimateTokens(turn.content) + 4, 0);
}

/** The UTC day `now` falls on, as YYYY-MM-DD. */
export function budgetDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** When the budget of `now`'s day resets: the next UTC midnight. */
export function budgetResetsAt(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

export interface BudgetState {
  limit: number;
  used: number;
  reserved: number;
}

export function remaining({ limit, used, reserved }: BudgetState): number {
  return Math.max(0, limit - used - reserved);
}

/** Whether a reply that may cost `need` tokens fits in what is left of the day. */
export function fits(state: BudgetState, need: number): boolean {
  return need <= remaining(state);
}

/** What a reply cost: the provider's count when it gave one, else the estimate of both sides. */
export function settledUsage(reported: ChatUsage | null, promptEstimate: number, reply: string): ChatUsage {
  return reported ?? { promptTokens: promptEstimate, completionTokens: estimateTokens(reply) };
}

// The caller's token budget for the current UTC day.
import type { UsageBudget } from '@azora/contracts';
import { readBudget } from '../db/budgets';
import { budgetDay, budgetResetsAt, remaining } from '../domain/budget';
import type { AiContext, Caller } from './context';

export async function usageOf(ctx: AiContext, caller: Caller): Promise<UsageBudget> {
  const now = ctx.clock.now();
  const day = budgetDay(now);
  const { used, reserved } = await readBudget(ctx.pool, caller.user.id, day);
  const limit = ctx.settings.dailyTokenBudget;
  return {
    day,
    limit,
    used,
    reserved,
    remaining: remaining({ limit, used, reserved }),
    resetsAt: budgetResetsAt(now).toISOString(),
  };
}

// Token budgets per user per UTC day. Reserving reads the day's row under its lock, so two
// replies starting at once are checked one after the other against what the first reserved.
import type { Queryable } from '@azora/service-kit';

export interface BudgetRow {
  used: number;
  reserved: number;
}

/** The user's usage for `day`, locked until the transaction ends (created at 0 when new). */
export async function lockBudget(db: Queryable, userId: string, day: string): Promise<BudgetRow> {
  await db.query(`INSERT INTO usage_budgets (user_id, day) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [userId, day]);
  const { rows } = await db.query<{ used_tokens: number; reserved_tokens: number }>(
    `SELECT used_tokens, reserved_tokens FROM usage_budgets WHERE user_id = $1 AND day = $2 FOR UPDATE`,
    [userId, day],
  );
  const row = rows[0]!;
  return { used: row.used_tokens, reserved: row.reserved_tokens };
}

export async function readBudget(db: Queryable, userId: string, day: string): Promise<BudgetRow> {
  const { rows } = await db.query<{ used_tokens: number; reserved_tokens: number }>(
    `SELECT used_tokens, reserved_tokens FROM usage_budgets WHERE user_id = $1 AND day = $2`,
    [userId, day],
  );
  return { used: rows[0]?.used_tokens ?? 0, reserved: rows[0]?.reserved_tokens ?? 0 };
}

export async function reserveTokens(db: Queryable, userId: string, day: string, tokens: number): Promise<void> {
  await db.query(`UPDATE usage_budgets SET reserved_tokens = reserved_tokens + $3 WHERE user_id = $1 AND day = $2`, [
    userId,
    day,
    tokens,
  ]);
}

/** Releases a reply's reservation and counts what it cost. */
export async function settleTokens(
  db: Queryable,
  userId: string,
  day: string,
  { reserved, used }: { reserved: number; used: number },
): Promise<void> {
  await db.query(
    `UPDATE usage_budgets SET reserved_tokens = GREATEST(0, reserved_tokens - $3), used_tokens = used_tokens + $4
     WHERE user_id = $1 AND day = $2`,
    [userId, day, reserved, used],
  );
}

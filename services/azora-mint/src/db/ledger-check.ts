// The ledger's invariants in SQL, read from one snapshot (REPEATABLE READ, read only), so a check
// running beside live transfers still sees a consistent ledger.
import { withTransaction, type Pool } from '@azora/service-kit';
import type { LedgerFindings } from '../domain/ledger-check';

interface AccountFinding {
  id: string;
  kind: string;
  balance: number;
  from_postings: number;
  last_running: number | null;
}

export async function readLedgerFindings(pool: Pool): Promise<LedgerFindings> {
  return withTransaction(pool, async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const totals = await tx.query<{
      accounts: number;
      transfers: number;
      orphaned: number;
      sum_of_balances: number;
      treasury: number;
      debts: number;
      owed: number;
    }>(
      `SELECT (SELECT count(*) FROM accounts)::bigint AS accounts,
              (SELECT count(*) FROM transfers)::bigint AS transfers,
              (SELECT count(*) FROM transfers t
                WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.debit_account)
                   OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.credit_account))::bigint AS orphaned,
              (SELECT coalesce(sum(balance), 0) FROM accounts)::bigint AS sum_of_balances,
              (SELECT balance FROM accounts WHERE kind = 'treasury') AS treasury,
              (SELECT count(*) FROM token_debts WHERE owed > 0)::bigint AS debts,
              (SELECT coalesce(sum(owed), 0) FROM token_debts)::bigint AS owed`,
    );
    // Each posting seen from both of its accounts: the debit side negative, the credit side positive.
    const findings = await tx.query<AccountFinding>(
      `WITH entries AS MATERIALIZED (
         SELECT debit_account AS account, -amount AS delta, seq, debit_balance AS running FROM transfers
         UNION ALL
         SELECT credit_account, amount, seq, credit_balance FROM transfers
       ),
       net AS (SELECT account, sum(delta)::bigint AS net FROM entries GROUP BY account),
       last AS (SELECT DISTINCT ON (account) account, running FROM entries ORDER BY account, seq DESC)
       SELECT a.id, a.kind, a.balance, coalesce(net.net, 0) AS from_postings, last.running AS last_running
       FROM accounts a LEFT JOIN net ON net.account = a.id LEFT JOIN last ON last.account = a.id
       WHERE a.balance <> coalesce(net.net, 0)
          OR a.balance <> coalesce(last.running, 0)
          OR (a.kind <> 'treasury' AND a.balance < 0)
       ORDER BY a.id LIMIT 1000`,
    );
    const t = totals.rows[0];
    if (!t) throw new Error('the ledger totals query returned no row');
    return {
      accounts: t.accounts,
      transfers: t.transfers,
      orphanedPostings: t.orphaned,
      sumOfBalances: t.sum_of_balances,
      treasuryBalance: t.treasury,
      openDebts: { count: t.debts, amount: t.owed },
      accountsOff: findings.rows.map((r) => ({
        accountId: r.id,
        kind: r.kind,
        balance: r.balance,
        fromPostings: r.from_postings,
        lastRunningBalance: r.last_running ?? 0,
      })),
    };
  });
}

// The ledger's invariants, judged: the sum over all accounts is zero, no account but the
// treasury is below zero, every posting names accounts that exist, and every balance equals
// both credits minus debits of its postings and the running balance its latest posting recorded.
import type { LedgerCheckReport } from '@azora/contracts';

export interface LedgerFindings {
  accounts: number;
  transfers: number;
  orphanedPostings: number;
  sumOfBalances: number;
  treasuryBalance: number;
  openDebts: { count: number; amount: number };
  /** Accounts breaking at least one per-account invariant. */
  accountsOff: { accountId: string; kind: string; balance: number; fromPostings: number; lastRunningBalance: number }[];
}

export function judgeLedger(findings: LedgerFindings, checkedAt: Date): LedgerCheckReport {
  const off = findings.accountsOff;
  const negativeBalances = off
    .filter((a) => a.kind !== 'treasury' && a.balance < 0)
    .map(({ accountId, balance }) => ({ accountId, balance }));
  const mismatchedBalances = off
    .filter((a) => a.balance !== a.fromPostings)
    .map(({ accountId, balance, fromPostings }) => ({ accountId, balance, fromPostings }));
  const runningBalanceMismatches = off
    .filter((a) => a.balance !== a.lastRunningBalance)
    .map(({ accountId, balance, lastRunningBalance }) => ({ accountId, balance, lastRunningBalance }));
  return {
    ok: findings.sumOfBalances === 0 && findings.orphanedPostings === 0 && off.length === 0,
    checkedAt: checkedAt.toISOString(),
    accounts: findings.accounts,
    transfers: findings.transfers,
    orphanedPostings: findings.orphanedPostings,
    sumOfBalances: findings.sumOfBalances,
    treasuryBalance: findings.treasuryBalance,
    negativeBalances,
    mismatchedBalances,
    runningBalanceMismatches,
    openDebts: findings.openDebts,
  };
}

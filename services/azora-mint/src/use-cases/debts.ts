// Tokens owed after a refunded top-up the wallet could not cover: collected, oldest debt first,
// from whatever the wallet holds right after its next top-up or reward.
import type { Clock } from '@azora/service-kit';
import { TREASURY, walletAccount } from '../domain/accounts';
import { postingFailure, preparePosting } from '../domain/posting';
import type { MintCounters, Stores } from '../domain/ports';

/** Runs inside the transaction that just credited the wallet. */
export async function collectDebts(
  stores: Stores,
  userId: string,
  { clock, counters }: { clock: Clock; counters: MintCounters },
): Promise<number> {
  // Accounts first, then debts: the same lock order as a reversal that records a debt.
  const wallet = await stores.ledger.lockWalletAndTreasury(userId);
  if (!wallet) return 0;
  const debts = await stores.debts.lockOpen(userId);
  let balance = wallet.balance;
  let collected = 0;
  for (const debt of debts) {
    const take = Math.min(balance, debt.owed);
    if (take <= 0) break;
    const posting = preparePosting(
      {
        kind: 'debt_collection',
        debit: walletAccount(userId),
        credit: TREASURY,
        amount: take,
        memo: 'Owed from a refunded top-up',
        // Unique per collection: what was already collected of this debt only ever grows.
        reference: `debt:${debt.paymentId}:${debt.original - debt.owed}`,
      },
      clock,
    );
    const result = await stores.ledger.post(posting);
    if (result.outcome !== 'posted') throw postingFailure(result, take);
    counters.transferPosted('debt_collection');
    await stores.debts.reduce(debt.paymentId, take, posting.createdAt);
    balance -= take;
    collected += take;
  }
  return collected;
}

// Reading wallets: the balance and the history of one user's wallet, newest first, each entry
// seen from that wallet's side (direction, counterparty, running balance).
import { AZR, type Page, type Wallet, type WalletTransaction } from '@azora/contracts';
import { walletAccount } from '../domain/accounts';
import { beforeSeq, pageBySeq } from '../domain/cursors';
import { walletNotFound } from '../domain/errors';
import type { Ledger } from '../domain/ports';
import { toWalletTransaction } from '../domain/views';

export function createWallets({ ledger }: { ledger: Ledger }) {
  return {
    async wallet(userId: string): Promise<Wallet> {
      const wallet = await ledger.wallet(userId);
      if (!wallet) throw walletNotFound();
      return { userId, balance: wallet.balance, currency: AZR };
    },

    async transactions(
      userId: string,
      { cursor, limit }: { cursor?: string | undefined; limit: number },
    ): Promise<Page<WalletTransaction>> {
      const account = walletAccount(userId);
      const before = beforeSeq(cursor);
      if (!(await ledger.wallet(userId))) throw walletNotFound();
      const rows = await ledger.history(account, { beforeSeq: before, limit: limit + 1 });
      return pageBySeq(rows, limit, (t) => toWalletTransaction(t, account));
    },
  };
}

// Reading wallets: the balance and the history of one user's wallet, newest first, each entry
// seen from that wallet's side (direction, counterparty, running balance).
import { AZR, type Page, type Wallet, type WalletTransaction } from '@azora/contracts';
import { DomainError } from '@azora/service-kit';
import { counterpartyOf, walletAccount } from './accounts';
import { beforeSeq, pageBySeq } from './cursors';
import type { Ledger, TransferRecord } from './ports';

export function toWalletTransaction(transfer: TransferRecord, account: string): WalletTransaction {
  const out = transfer.debitAccount === account;
  return {
    id: transfer.id,
    kind: transfer.kind,
    direction: out ? 'out' : 'in',
    amount: transfer.amount,
    counterparty: counterpartyOf(out ? transfer.creditAccount : transfer.debitAccount),
    memo: transfer.memo,
    balance: out ? transfer.debitBalance : transfer.creditBalance,
    createdAt: transfer.createdAt.toISOString(),
  };
}

export function createWallets({ ledger }: { ledger: Ledger }) {
  return {
    async wallet(userId: string): Promise<Wallet> {
      const wallet = await ledger.wallet(userId);
      if (!wallet) throw new DomainError('wallet.not_found', 'This user has no wallet yet');
      return { userId, balance: wallet.balance, currency: AZR };
    },

    async transactions(
      userId: string,
      { cursor, limit }: { cursor?: string | undefined; limit: number },
    ): Promise<Page<WalletTransaction>> {
      const account = walletAccount(userId);
      const before = beforeSeq(cursor);
      if (!(await ledger.wallet(userId))) throw new DomainError('wallet.not_found', 'This user has no wallet yet');
      const rows = await ledger.history(account, { beforeSeq: before, limit: limit + 1 });
      return pageBySeq(rows, limit, (t) => toWalletTransaction(t, account));
    },
  };
}

// Reading wallets: the balance and the history of one user's wallet, newest first, each entry
// seen from that wallet's side (direction, counterparty, running balance). A signed-in user's
// own wallet is opened on first sight: a verified access token proves the user exists, so the
// wallet never waits for identity.user.registered.
import { AZR, type Page, type Wallet, type WalletTransaction } from '@azora/contracts';
import type { Clock } from '@azora/service-kit';
import { walletAccount } from '../domain/accounts';
import { beforeSeq, pageBySeq } from '../domain/cursors';
import { walletNotFound } from '../domain/errors';
import type { Ledger, WalletRecord } from '../domain/ports';
import { toWalletTransaction } from '../domain/views';

/** Whose wallet is asked for: the caller's own (opened when missing) or someone else's (an admin). */
export interface WalletQuery {
  userId: string;
  own: boolean;
}

export function createWallets({ ledger, clock }: { ledger: Ledger; clock: Clock }) {
  async function find({ userId, own }: WalletQuery): Promise<WalletRecord> {
    const found = await ledger.wallet(userId);
    if (found) return found;
    if (!own) throw walletNotFound();
    // Idempotent: racing the registration event (or another first request) opens one wallet.
    await ledger.openWallet(userId, clock.now());
    const opened = await ledger.wallet(userId);
    if (!opened) throw new Error(`the wallet of ${userId} was opened but cannot be read`);
    return opened;
  }

  return {
    async wallet(query: WalletQuery): Promise<Wallet> {
      const wallet = await find(query);
      return { userId: query.userId, balance: wallet.balance, currency: AZR };
    },

    async transactions(
      query: WalletQuery,
      { cursor, limit }: { cursor?: string | undefined; limit: number },
    ): Promise<Page<WalletTransaction>> {
      const account = walletAccount(query.userId);
      const before = beforeSeq(cursor);
      await find(query);
      const rows = await ledger.history(account, { beforeSeq: before, limit: limit + 1 });
      return pageBySeq(rows, limit, (t) => toWalletTransaction(t, account));
    },
  };
}

// Before the treasury pays a user from an event (a reward, a top-up), the handler takes the
// treasury's row lock first, then opens the wallet if the registration has not arrived yet
// (the event proves the user exists). Treasury first, always: a handler that inserted a new
// wallet and then waited for the treasury could deadlock with one that holds the treasury and
// reaches the same new wallet later in its batch.
import type { Stores } from '../domain/ports';

export async function lockTreasuryAndOpenWallet(stores: Stores, userId: string, at: Date): Promise<void> {
  const wallet = await stores.ledger.lockWalletAndTreasury(userId);
  if (!wallet) await stores.ledger.openWallet(userId, at);
}

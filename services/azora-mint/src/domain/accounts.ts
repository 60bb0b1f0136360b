// Ledger account names: a wallet per user, the treasury, an escrow account per hold. The name
// is what the ledger locks by (in name order) and what events name as `from` and `to`.
import type { Counterparty } from '@azora/contracts';

export const TREASURY = 'mint:treasury';

export function walletAccount(userId: string): string {
  return `user:${userId}`;
}

export function escrowAccount(reference: string): string {
  return `escrow:${reference}`;
}

/** The user of a wallet account; null for the treasury and escrow accounts. */
export function walletOwner(account: string): string | null {
  return account.startsWith('user:') ? account.slice('user:'.length) : null;
}

export function counterpartyOf(account: string): Counterparty {
  const owner = walletOwner(account);
  if (owner) return { type: 'user', userId: owner };
  if (account.startsWith('escrow:')) return { type: 'escrow', reference: account.slice('escrow:'.length) };
  return { type: 'treasury' };
}

/** How events name an account: a wallet by its user's id, anything else by its account name. */
export function eventParty(account: string): string {
  return walletOwner(account) ?? account;
}

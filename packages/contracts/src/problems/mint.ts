// Problems of Mint: wallets, transfers, the ledger and escrow.
import { defineProblems } from './define';

export const MINT_PROBLEMS = defineProblems({
  'wallet.not_found': { status: 404, title: 'Wallet not found' },
  'wallet.recipient_not_found': { status: 404, title: 'Recipient not found' },
  'wallet.insufficient_funds': { status: 409, title: 'Insufficient funds' },
  'wallet.balance_limit': { status: 409, title: 'Balance limit reached' },
  'transfer.to_self': { status: 422, title: 'Transfer to self' },
  'ledger.duplicate_reference': { status: 409, title: 'Duplicate posting' },
  'escrow.not_found': { status: 404, title: 'Escrow hold not found' },
  'escrow.reference_conflict': { status: 409, title: 'Escrow reference conflict' },
  'escrow.already_settled': { status: 409, title: 'Escrow already settled' },
});

// What a response may show of a record: each mapper copies only the fields of its contract
// schema (packages/contracts/src/mint.ts), with dates as ISO strings.
import {
  AZR,
  type AdminAction,
  type EscrowHold,
  type RewardDecision,
  type TransferResult,
  type WalletTransaction,
} from '@azora/contracts';
import { counterpartyOf, walletOwner } from './accounts';
import type { AdminActionRecord, EscrowHoldRecord, RewardDecisionRecord, TransferRecord } from './ports';

/** A posting seen from `account`'s side: direction, counterparty and that account's running balance. */
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

/** A user-to-user transfer, with the sender's balance right after it. */
export function toTransferResult(transfer: TransferRecord): TransferResult {
  return {
    id: transfer.id,
    kind: transfer.kind,
    fromUserId: walletOwner(transfer.debitAccount) ?? '',
    toUserId: walletOwner(transfer.creditAccount) ?? '',
    amount: transfer.amount,
    memo: transfer.memo,
    balance: transfer.debitBalance,
    currency: AZR,
    createdAt: transfer.createdAt.toISOString(),
  };
}

export function toEscrowHold(hold: EscrowHoldRecord): EscrowHold {
  return {
    reference: hold.reference,
    ownerId: hold.ownerId,
    amount: hold.amount,
    status: hold.status,
    releasedTo: hold.releasedTo,
    heldAt: hold.createdAt.toISOString(),
    settledAt: hold.settledAt?.toISOString() ?? null,
  };
}

export function toAdminAction(record: AdminActionRecord): AdminAction {
  return {
    id: record.id,
    adminId: record.adminId,
    action: record.action,
    userId: record.userId,
    amount: record.amount,
    memo: record.memo,
    transferId: record.transferId,
    requestId: record.requestId,
    createdAt: record.createdAt.toISOString(),
  };
}

export function toRewardDecision(record: RewardDecisionRecord): RewardDecision {
  return {
    id: record.id,
    trigger: record.trigger,
    reference: record.reference,
    amount: record.amount,
    paid: record.paid,
    heldBack: record.heldBack,
    reason: record.reason,
    transferId: record.transferId,
    createdAt: record.createdAt.toISOString(),
  };
}

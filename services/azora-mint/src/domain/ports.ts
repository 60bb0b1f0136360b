// What Mint's use cases need from the outside world, as interfaces: the ledger and the stores
// of escrow holds, debts, the admin audit and reward decisions (implemented in src/db), a unit
// of work that runs several of them in one transaction, and the domain counters (src/metrics.ts).
import type { EventData, RewardHoldBackReason, RewardTrigger, TransferKind } from '@azora/contracts';

export interface TransferRecord {
  readonly id: string;
  readonly seq: number;
  readonly kind: TransferKind;
  readonly debitAccount: string;
  readonly creditAccount: string;
  readonly amount: number;
  /** Balances right after this posting. */
  readonly debitBalance: number;
  readonly creditBalance: number;
  readonly memo: string | null;
  readonly reference: string | null;
  readonly createdAt: Date;
}

export interface PostingRequest {
  readonly id: string;
  readonly kind: TransferKind;
  readonly debit: string;
  readonly credit: string;
  readonly amount: number;
  readonly memo: string | null;
  /** At most one posting ever carries a given reference. */
  readonly reference: string | null;
  readonly requestId: string | null;
  readonly createdAt: Date;
  /** mint.transfer.completed, validated against the catalog, written with the posting. */
  readonly event: {
    readonly id: string;
    readonly data: EventData<'mint.transfer.completed'>;
    readonly subject: string | null;
  };
  readonly idempotency: { readonly userId: string; readonly key: string; readonly requestHash: string } | null;
}

export type PostingOutcome =
  | 'posted'
  | 'duplicate_reference'
  | 'insufficient_funds'
  | 'debit_missing'
  | 'credit_missing'
  | 'balance_limit'
  | 'key_reused';

export interface PostingResult {
  readonly outcome: PostingOutcome;
  /** True when this is the stored outcome of an earlier request with the same Idempotency-Key. */
  readonly replayed: boolean;
  /** The debit balance, when the outcome is insufficient_funds. */
  readonly available: number | null;
  /** The posted transfer (or, for duplicate_reference, the earlier one). */
  readonly transfer: TransferRecord | null;
}

export interface WalletRecord {
  readonly userId: string;
  readonly balance: number;
}

/** Applies one posting atomically: funds checked under lock, both balances, the event. */
export type Post = (posting: PostingRequest) => Promise<PostingResult>;

export interface Ledger {
  post: Post;
  /** Opens the user's wallet; true when it did not exist before. */
  openWallet(userId: string, at: Date): Promise<boolean>;
  openEscrowAccount(reference: string, ownerId: string, at: Date): Promise<void>;
  wallet(userId: string): Promise<WalletRecord | null>;
  /** The wallet, locked with the treasury until the transaction ends (inside a unit of work
   * only), in the order every posting locks accounts, so the postings between them that follow
   * cannot deadlock with others. */
  lockWalletAndTreasury(userId: string): Promise<WalletRecord | null>;
  transferByReference(reference: string): Promise<TransferRecord | null>;
  /** Postings of `account`, newest first, strictly before `beforeSeq` when given. */
  history(account: string, page: { beforeSeq: number | null; limit: number }): Promise<TransferRecord[]>;
}

export type EscrowStatus = 'held' | 'released' | 'refunded';

export interface EscrowHoldRecord {
  readonly reference: string;
  readonly ownerId: string;
  readonly amount: number;
  readonly memo: string | null;
  readonly createdBy: string;
  readonly status: EscrowStatus;
  readonly releasedTo: string | null;
  readonly createdAt: Date;
  readonly settledAt: Date | null;
}

export interface EscrowStore {
  find(reference: string): Promise<EscrowHoldRecord | null>;
  /** The hold, locked until the transaction ends. */
  lock(reference: string): Promise<EscrowHoldRecord | null>;
  insert(
    hold: Omit<EscrowHoldRecord, 'status' | 'releasedTo' | 'settledAt'> & { holdTransferId: string },
  ): Promise<EscrowHoldRecord>;
  settle(
    reference: string,
    settlement: { status: 'released' | 'refunded'; releasedTo: string | null; transferId: string; at: Date },
  ): Promise<EscrowHoldRecord>;
}

export interface DebtRecord {
  readonly paymentId: string;
  readonly userId: string;
  readonly original: number;
  readonly owed: number;
}

export interface DebtStore {
  /** Records a debt; false when one exists for the payment already. */
  record(debt: Omit<DebtRecord, 'owed'> & { at: Date }): Promise<boolean>;
  exists(paymentId: string): Promise<boolean>;
  /** The user's open debts, oldest first, locked until the transaction ends. */
  lockOpen(userId: string): Promise<DebtRecord[]>;
  reduce(paymentId: string, by: number, at: Date): Promise<void>;
}

export interface AdminActionRecord {
  readonly seq: number;
  readonly id: string;
  readonly adminId: string;
  readonly action: 'mint' | 'burn';
  readonly userId: string;
  readonly amount: number;
  readonly memo: string | null;
  readonly transferId: string;
  readonly requestId: string | null;
  readonly createdAt: Date;
}

export interface AuditStore {
  record(action: Omit<AdminActionRecord, 'seq'>): Promise<AdminActionRecord>;
  byTransfer(transferId: string): Promise<AdminActionRecord | null>;
  list(page: { beforeSeq: number | null; limit: number }): Promise<AdminActionRecord[]>;
}

export interface RewardDecisionRecord {
  readonly seq: number;
  readonly id: string;
  readonly userId: string;
  readonly trigger: RewardTrigger;
  readonly reference: string;
  readonly amount: number;
  readonly paid: number;
  readonly heldBack: number;
  readonly reason: RewardHoldBackReason | null;
  readonly transferId: string | null;
  /** The UTC day (`YYYY-MM-DD`) whose cap the payment counts against. */
  readonly day: string;
  readonly eventId: string | null;
  readonly requestId: string | null;
  readonly createdAt: Date;
}

export interface RewardDecisionStore {
  /** Records a decision; false when one exists for its reference already. */
  record(decision: Omit<RewardDecisionRecord, 'seq'>): Promise<boolean>;
  decided(reference: string): Promise<boolean>;
  /** Reward AZR paid to the user on `day`. */
  paidOn(userId: string, day: string): Promise<number>;
  /** The user's decisions, newest first, strictly before `beforeSeq` when given. */
  list(userId: string, page: { beforeSeq: number | null; limit: number }): Promise<RewardDecisionRecord[]>;
}

export interface Stores {
  readonly ledger: Ledger;
  readonly escrow: EscrowStore;
  readonly debts: DebtStore;
  readonly audit: AuditStore;
  readonly rewards: RewardDecisionStore;
}

/** Runs `work` in one transaction: all of its writes commit together or not at all. */
export type UnitOfWork = <T>(work: (stores: Stores) => Promise<T>) => Promise<T>;

export interface MintCounters {
  transferPosted(kind: TransferKind): void;
  transferFailed(code: string): void;
  /** A reward decision: paid in full, in part or not at all, and why. */
  rewardDecided(decision: Pick<RewardDecisionRecord, 'trigger' | 'paid' | 'heldBack' | 'reason'>): void;
}

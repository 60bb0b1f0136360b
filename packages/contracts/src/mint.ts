// Mint: wallets, AZR transfers between users, the wallet's history, escrow for Forge, and the
// admin routes (mint, burn, audit, ledger check). AZR amounts are positive integers.
import { z } from 'zod';
import { pageOf } from './pagination';

/** The largest amount one transfer may move: far below 2^53, so sums stay exact in JSON. */
export const MAX_AZR_AMOUNT = 1_000_000_000_000;
export const MAX_MEMO_LENGTH = 280;
export const AZR = 'AZR';

export const AzrAmount = z
  .number({ error: 'expected a whole number of AZR' })
  .int('expected a whole number of AZR')
  .positive('must be at least 1')
  .max(MAX_AZR_AMOUNT, `at most ${MAX_AZR_AMOUNT}`);

export const Memo = z.string().max(MAX_MEMO_LENGTH, `at most ${MAX_MEMO_LENGTH} characters`);

/** The header a route that moves money or tokens reads: the same key with the same body takes effect once. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set on a response that repeats the stored result of an earlier request with the same key. */
export const IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';
export const IdempotencyKey = z
  .string({ error: 'send an Idempotency-Key header' })
  .regex(/^[\x21-\x7e]{1,255}$/, '1 to 255 visible ASCII characters');

export const TransferKind = z.enum([
  'transfer',
  'reward',
  'topup',
  'topup_reversal',
  'debt_collection',
  'escrow_hold',
  'escrow_release',
  'escrow_refund',
  'mint',
  'burn',
]);
export type TransferKind = z.infer<typeof TransferKind>;

/** A user named in a request: any letter case in, lower case out, as user ids are stored and
 * compared (the account `user:<id>`, the caller's id from the access token). */
export const UserIdInput = z.uuid().transform((id) => id.toLowerCase());

export const Wallet = z.object({
  userId: z.uuid(),
  balance: z.number().int().nonnegative(),
  currency: z.literal(AZR),
});
export type Wallet = z.infer<typeof Wallet>;

export const WalletParams = z.object({ userId: UserIdInput });
export type WalletParams = z.infer<typeof WalletParams>;

export const TransferRequest = z.object({
  toUserId: UserIdInput,
  amount: AzrAmount,
  memo: Memo.optional(),
});
export type TransferRequest = z.infer<typeof TransferRequest>;

/** A completed user-to-user transfer; `balance` is the sender's balance right after it. */
export const TransferResult = z.object({
  id: z.uuid(),
  kind: TransferKind,
  fromUserId: z.uuid(),
  toUserId: z.uuid(),
  amount: AzrAmount,
  memo: z.string().nullable(),
  balance: z.number().int().nonnegative(),
  currency: z.literal(AZR),
  createdAt: z.iso.datetime({ offset: true }),
});
export type TransferResult = z.infer<typeof TransferResult>;

/** The other side of a wallet entry: another user, the treasury (rewards, top-ups) or an escrow. */
export const Counterparty = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), userId: z.uuid() }),
  z.object({ type: z.literal('treasury') }),
  z.object({ type: z.literal('escrow'), reference: z.string() }),
]);
export type Counterparty = z.infer<typeof Counterparty>;

export const WalletTransaction = z.object({
  id: z.uuid(),
  kind: TransferKind,
  direction: z.enum(['in', 'out']),
  amount: AzrAmount,
  counterparty: Counterparty,
  memo: z.string().nullable(),
  /** The wallet's balance right after this entry. */
  balance: z.number().int().nonnegative(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type WalletTransaction = z.infer<typeof WalletTransaction>;

export const WalletTransactionsPage = pageOf(WalletTransaction);
export type WalletTransactionsPage = z.infer<typeof WalletTransactionsPage>;

// Escrow (service credentials only): Forge holds a job's reward, then releases it to the worker
// or refunds it to the owner. Every call is idempotent by the hold's reference.
export const EscrowReference = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$/, '1 to 128 letters, digits, ":", ".", "_" or "-"');

export const EscrowHoldRequest = z.object({
  reference: EscrowReference,
  userId: UserIdInput,
  amount: AzrAmount,
  memo: Memo.optional(),
});
export type EscrowHoldRequest = z.infer<typeof EscrowHoldRequest>;

export const EscrowParams = z.object({ reference: EscrowReference });
export type EscrowParams = z.infer<typeof EscrowParams>;

export const EscrowReleaseRequest = z.object({ toUserId: UserIdInput });
export type EscrowReleaseRequest = z.infer<typeof EscrowReleaseRequest>;

export const EscrowHold = z.object({
  reference: EscrowReference,
  ownerId: z.uuid(),
  amount: AzrAmount,
  status: z.enum(['held', 'released', 'refunded']),
  /** The worker paid on release; null while held and after a refund. */
  releasedTo: z.uuid().nullable(),
  heldAt: z.iso.datetime({ offset: true }),
  settledAt: z.iso.datetime({ offset: true }).nullable(),
});
export type EscrowHold = z.infer<typeof EscrowHold>;

// Admin: supply changes against the treasury (audited) and the ledger's invariants.
export const AdminSupplyRequest = z.object({
  userId: UserIdInput,
  amount: AzrAmount,
  memo: Memo.optional(),
});
export type AdminSupplyRequest = z.infer<typeof AdminSupplyRequest>;

export const AdminSupplyResult = z.object({
  id: z.uuid(),
  kind: z.enum(['mint', 'burn']),
  userId: z.uuid(),
  amount: AzrAmount,
  memo: z.string().nullable(),
  /** The user's balance right after the change. */
  balance: z.number().int().nonnegative(),
  auditId: z.uuid(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type AdminSupplyResult = z.infer<typeof AdminSupplyResult>;

export const AdminAction = z.object({
  id: z.uuid(),
  adminId: z.uuid(),
  action: z.enum(['mint', 'burn']),
  userId: z.uuid(),
  amount: AzrAmount,
  memo: z.string().nullable(),
  transferId: z.uuid(),
  requestId: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type AdminAction = z.infer<typeof AdminAction>;

export const AdminActionsPage = pageOf(AdminAction);
export type AdminActionsPage = z.infer<typeof AdminActionsPage>;

const AccountBalance = z.object({ accountId: z.string(), balance: z.number().int() });

export const LedgerCheckReport = z.object({
  /** True when every invariant holds. */
  ok: z.boolean(),
  checkedAt: z.iso.datetime({ offset: true }),
  accounts: z.number().int().nonnegative(),
  transfers: z.number().int().nonnegative(),
  /** Sum over every account, treasury included: always 0. */
  sumOfBalances: z.number().int(),
  treasuryBalance: z.number().int(),
  /** Accounts other than the treasury below zero: always empty. */
  negativeBalances: z.array(AccountBalance),
  /** Accounts whose balance differs from credits minus debits of their postings: always empty. */
  mismatchedBalances: z.array(AccountBalance.extend({ fromPostings: z.number().int() })),
  /** Postings naming an account that does not exist: always 0. */
  orphanedPostings: z.number().int().nonnegative(),
  /** Accounts whose latest posting's running balance differs from the balance: always empty. */
  runningBalanceMismatches: z.array(AccountBalance.extend({ lastRunningBalance: z.number().int() })),
  /** Tokens still owed after refunded top-ups the wallet could not cover (informational). */
  openDebts: z.object({ count: z.number().int().nonnegative(), amount: z.number().int().nonnegative() }),
});
export type LedgerCheckReport = z.infer<typeof LedgerCheckReport>;

// Learn-to-earn: every reward decision Mint made for a user, paid or held back, and why.
export const RewardTrigger = z.enum(['lesson', 'course', 'job']);
export type RewardTrigger = z.infer<typeof RewardTrigger>;

/** Why (part of) a reward was held back: the user authored the course, the course is not
 * reward-eligible, the day's cap was reached, the employer is not verified, the worker is the employer. */
export const RewardHoldBackReason = z.enum([
  'own_course',
  'not_eligible',
  'daily_cap',
  'unverified_employer',
  'self_hire',
]);
export type RewardHoldBackReason = z.infer<typeof RewardHoldBackReason>;

export const RewardDecision = z.object({
  id: z.uuid(),
  trigger: RewardTrigger,
  /** What was completed: `reward:lesson:<lessonId>:<userId>`, `reward:course:<courseId>:<userId>` or `reward:job:<jobId>`. */
  reference: z.string(),
  /** What the reward is worth by configuration; paid + heldBack. */
  amount: AzrAmount,
  paid: z.number().int().nonnegative(),
  heldBack: z.number().int().nonnegative(),
  /** Null when it was paid in full. */
  reason: RewardHoldBackReason.nullable(),
  /** The reward's entry in the wallet history, when anything was paid. */
  transferId: z.uuid().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type RewardDecision = z.infer<typeof RewardDecision>;

export const RewardDecisionsPage = pageOf(RewardDecision);
export type RewardDecisionsPage = z.infer<typeof RewardDecisionsPage>;

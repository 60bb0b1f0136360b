// The ledger in SQL: postings go through post_transfers (migrations/002), one call and one round
// trip for one posting or a group of them; wallets, escrow accounts and the postings of an account.
import type { TransferKind } from '@azora/contracts';
import { afterCommit, type OutboxSignal, type Queryable } from '@azora/service-kit';
import { TREASURY, escrowAccount, walletAccount } from '../domain/accounts';
import type {
  Ledger,
  PostingOutcome,
  PostingRequest,
  PostingResult,
  TransferRecord,
  WalletRecord,
} from '../domain/ports';

interface TransferRow {
  id: string;
  seq: number;
  kind: TransferKind;
  debit_account: string;
  credit_account: string;
  amount: number;
  debit_balance: number;
  credit_balance: number;
  memo: string | null;
  reference: string | null;
  created_at: Date;
}

const TRANSFER_COLUMNS =
  'id, seq, kind, debit_account, credit_account, amount, debit_balance, credit_balance, memo, reference, created_at';

export function toTransferRecord(row: TransferRow): TransferRecord {
  return {
    id: row.id,
    seq: row.seq,
    kind: row.kind,
    debitAccount: row.debit_account,
    creditAccount: row.credit_account,
    amount: row.amount,
    debitBalance: row.debit_balance,
    creditBalance: row.credit_balance,
    memo: row.memo,
    reference: row.reference,
    createdAt: row.created_at,
  };
}

export type PostingRow = { outcome: PostingOutcome; replayed: boolean; available: number | null } & {
  [K in keyof TransferRow]: TransferRow[K] | null;
};

export function toPostingResult(row: PostingRow): PostingResult {
  const transfer = row.id === null ? null : toTransferRecord(row as TransferRow);
  return { outcome: row.outcome, replayed: row.replayed, available: row.available, transfer };
}

// A named statement: prepared once per connection, then only bound and executed.
const POST_TRANSFERS =
  'SELECT * FROM post_transfers($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) WITH ORDINALITY AS r ORDER BY r.ordinality';

/** Applies `postings` in order, in one call and one transaction (migrations/002). */
/** Applies `postings` in order, in one call; the outbox rows it writes wake the relay once `db` commits. */
export async function postTransfers(
  db: Queryable,
  postings: readonly PostingRequest[],
  outbox?: OutboxSignal,
): Promise<PostingResult[]> {
  const column = <T>(pick: (p: PostingRequest) => T): T[] => postings.map(pick);
  const { rows } = await db.query<PostingRow>({
    name: 'mint_post_transfers',
    text: POST_TRANSFERS,
    values: [
      column((p) => p.id),
      column((p) => p.kind),
      column((p) => p.debit),
      column((p) => p.credit),
      column((p) => p.amount),
      column((p) => p.memo),
      column((p) => p.reference),
      column((p) => p.requestId),
      column((p) => p.createdAt),
      column((p) => p.event.id),
      column((p) => JSON.stringify(p.event.data)),
      column((p) => p.event.subject),
      column((p) => p.idempotency?.userId ?? null),
      column((p) => p.idempotency?.key ?? null),
      column((p) => p.idempotency?.requestHash ?? null),
    ],
  });
  if (rows.length !== postings.length)
    throw new Error(`post_transfers answered ${rows.length} results for ${postings.length} postings`);
  if (outbox) afterCommit(db, () => outbox.written());
  return rows.map(toPostingResult);
}

export async function postTransfer(
  db: Queryable,
  posting: PostingRequest,
  outbox?: OutboxSignal,
): Promise<PostingResult> {
  const [result] = await postTransfers(db, [posting], outbox);
  return result as PostingResult;
}

export function createLedger(db: Queryable, outbox?: OutboxSignal): Ledger {
  return {
    post: (posting) => postTransfer(db, posting, outbox),

    async openWallet(userId, at) {
      const { rowCount } = await db.query(
        `INSERT INTO accounts (id, kind, owner_id, created_at) VALUES ($1, 'user', $2, $3) ON CONFLICT (id) DO NOTHING`,
        [walletAccount(userId), userId, at],
      );
      return (rowCount ?? 0) > 0;
    },

    async openEscrowAccount(reference, ownerId, at) {
      await db.query(
        `INSERT INTO accounts (id, kind, owner_id, created_at) VALUES ($1, 'escrow', $2, $3) ON CONFLICT (id) DO NOTHING`,
        [escrowAccount(reference), ownerId, at],
      );
    },

    async wallet(userId) {
      const { rows } = await db.query<WalletRecord>({
        name: 'mint_wallet',
        text: `SELECT owner_id AS "userId", balance FROM accounts WHERE id = $1`,
        values: [walletAccount(userId)],
      });
      return rows[0] ?? null;
    },

    async lockWalletAndTreasury(userId) {
      // In id order, like every posting: 'mint:treasury' sorts before 'user:...'.
      const { rows } = await db.query<WalletRecord & { kind: string }>(
        `SELECT kind, owner_id AS "userId", balance FROM accounts WHERE id IN ($1, $2) ORDER BY id FOR NO KEY UPDATE`,
        [TREASURY, walletAccount(userId)],
      );
      const wallet = rows.find((r) => r.kind === 'user');
      return wallet ? { userId: wallet.userId, balance: wallet.balance } : null;
    },

    async transferByReference(reference) {
      const { rows } = await db.query<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE reference = $1`, [
        reference,
      ]);
      return rows[0] ? toTransferRecord(rows[0]) : null;
    },

    async history(account, { beforeSeq, limit }) {
      // One index range per side of the posting, merged: newest first either way.
      const { rows } = await db.query<TransferRow>(
        `SELECT * FROM (
           (SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE debit_account = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3)
           UNION ALL
           (SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE credit_account = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3)
         ) AS postings ORDER BY seq DESC LIMIT $3`,
        [account, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit],
      );
      return rows.map(toTransferRecord);
    },
  };
}

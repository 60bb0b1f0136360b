// Escrow holds in SQL: the state of each hold; the money itself moves by postings.
import type { Queryable } from '@azora/service-kit';
import { escrowAccount } from '../domain/accounts';
import type { EscrowHoldRecord, EscrowStatus, EscrowStore } from '../domain/ports';

interface HoldRow {
  reference: string;
  owner_id: string;
  amount: number;
  memo: string | null;
  created_by: string;
  status: EscrowStatus;
  released_to: string | null;
  created_at: Date;
  settled_at: Date | null;
}

const HOLD_COLUMNS = 'reference, owner_id, amount, memo, created_by, status, released_to, created_at, settled_at';

function toHoldRecord(row: HoldRow): EscrowHoldRecord {
  return {
    reference: row.reference,
    ownerId: row.owner_id,
    amount: row.amount,
    memo: row.memo,
    createdBy: row.created_by,
    status: row.status,
    releasedTo: row.released_to,
    createdAt: row.created_at,
    settledAt: row.settled_at,
  };
}

function single(rows: HoldRow[], what: string): EscrowHoldRecord {
  const row = rows[0];
  if (!row) throw new Error(`${what} returned no escrow hold`);
  return toHoldRecord(row);
}

export function createEscrowStore(db: Queryable): EscrowStore {
  const select = async (reference: string, lock: boolean) => {
    const { rows } = await db.query<HoldRow>(
      `SELECT ${HOLD_COLUMNS} FROM escrow_holds WHERE reference = $1${lock ? ' FOR UPDATE' : ''}`,
      [reference],
    );
    return rows[0] ? toHoldRecord(rows[0]) : null;
  };
  return {
    find: (reference) => select(reference, false),
    lock: (reference) => select(reference, true),

    async insert(hold) {
      const { rows } = await db.query<HoldRow>(
        `INSERT INTO escrow_holds (reference, account_id, owner_id, amount, memo, created_by, status, hold_transfer_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'held', $7, $8) RETURNING ${HOLD_COLUMNS}`,
        [
          hold.reference,
          escrowAccount(hold.reference),
          hold.ownerId,
          hold.amount,
          hold.memo,
          hold.createdBy,
          hold.holdTransferId,
          hold.createdAt,
        ],
      );
      return single(rows, 'inserting a hold');
    },

    async settle(reference, { status, releasedTo, transferId, at }) {
      const { rows } = await db.query<HoldRow>(
        `UPDATE escrow_holds SET status = $2, released_to = $3, settle_transfer_id = $4, settled_at = $5
         WHERE reference = $1 AND status = 'held' RETURNING ${HOLD_COLUMNS}`,
        [reference, status, releasedTo, transferId, at],
      );
      return single(rows, 'settling a hold');
    },
  };
}

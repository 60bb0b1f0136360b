// A transaction kept open across an outbound call (one delivery attempt): the rows it locks
// stay claimed until it commits or rolls back, and its client goes back to the pool either way.
import type { Pool, Tx } from '@azora/service-kit';

export interface HeldTransaction<R = unknown> {
  readonly tx: Tx;
  /** The rows of the statement sent together with BEGIN, when one was. */
  readonly first: R[];
  commit(): Promise<void>;
  /** Ends the transaction with `statements`, which must finish with COMMIT (one round trip). */
  commitWith(statements: string): Promise<void>;
  rollback(): Promise<void>;
}

/** Opens a transaction; `first` (a parameterless statement) travels in the same round trip. */
export async function beginHeld<R = unknown>(pool: Pool, first?: string): Promise<HeldTransaction<R>> {
  const tx = await pool.connect();
  let rows: R[] = [];
  try {
    if (first) {
      const results = (await tx.query(`BEGIN; ${first}`)) as unknown as { rows: R[] }[];
      rows = results[1]?.rows ?? [];
    } else {
      await tx.query('BEGIN');
    }
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => undefined);
    tx.release(true);
    throw error;
  }
  let finished = false;
  const finish = async (statement: string, committing: boolean) => {
    if (finished) return;
    finished = true;
    try {
      await tx.query(statement);
      tx.release();
    } catch (error) {
      tx.release(true); // the connection is in an unknown state: do not reuse it
      if (committing) throw error;
    }
  };
  return {
    tx,
    first: rows,
    commit: () => finish('COMMIT', true),
    commitWith: (statements) => finish(statements, true),
    rollback: () => finish('ROLLBACK', false),
  };
}

// A transaction kept open across an outbound call (one delivery attempt): the rows it locks
// stay claimed until it commits or rolls back, and its client goes back to the pool either way.
import type { Pool, Tx } from '@azora/service-kit';

export interface HeldTransaction {
  readonly tx: Tx;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export async function beginHeld(pool: Pool): Promise<HeldTransaction> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
  } catch (error) {
    tx.release(true);
    throw error;
  }
  let finished = false;
  const finish = async (statement: 'COMMIT' | 'ROLLBACK') => {
    if (finished) return;
    finished = true;
    try {
      await tx.query(statement);
      tx.release();
    } catch (error) {
      tx.release(true); // the connection is in an unknown state: do not reuse it
      if (statement === 'COMMIT') throw error;
    }
  };
  return { tx, commit: () => finish('COMMIT'), rollback: () => finish('ROLLBACK') };
}

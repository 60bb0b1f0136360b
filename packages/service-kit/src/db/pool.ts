// Database access: a pg Pool bound to the service's own role and schema, and transactions.
import pg from 'pg';
import type { Logger } from 'pino';
import { assertIdentifier } from '@azora/database';
import { isDatabaseUnavailable } from '../errors';
import type { ReadinessCheck } from '../health';

export type Pool = pg.Pool;
export type Tx = pg.PoolClient;
/** Anything that can run a query: the pool itself or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

// int8 (counts, sums, sequence numbers) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PoolOptions {
  connectionString: string;
  /** The service's schema: the only one on its search_path. */
  schema: string;
  max?: number;
  applicationName?: string;
  logger?: Logger;
  statementTimeoutMs?: number;
}

export function createPool({
  connectionString,
  schema,
  max = 10,
  applicationName,
  logger,
  statementTimeoutMs = 30_000,
}: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: applicationName ?? schema,
    options: `-c search_path=${assertIdentifier(schema)} -c statement_timeout=${statementTimeoutMs}`,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A network cut that sends no reset must not leave a query (or a worker waiting on it)
    // hanging for the kernel's minutes: TCP keep-alive finds a dead peer, and the client gives
    // up on a query a little after the server would have cancelled it.
    keepAlive: true,
    query_timeout: statementTimeoutMs + 5_000,
  });
  // pg's pool.query hands a client back *destroyed* after any error, so every refused insert (a
  // unique violation, a check) would cost a reconnection. Only a connection that is really gone
  // is dropped here; an SQL error leaves it in the pool.
  const connect = pool.connect.bind(pool);
  pool.query = (async (...args: Parameters<pg.PoolClient['query']>) => {
    const client = await connect();
    let lost = false;
    try {
      return await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
    } catch (error) {
      lost = isDatabaseUnavailable(error);
      throw error;
    } finally {
      client.release(lost);
    }
  }) as typeof pool.query;
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) => logger?.warn({ err: error }, 'idle database client failed'));
  // Nor may a checked-out one, held between queries (a transaction waiting on an HTTP call):
  // pg emits 'error' on the client itself then, and its next query fails as usual.
  pool.on('connect', (client) => {
    client.on('error', (error) => logger?.warn({ err: error }, 'database connection lost'));
  });
  return pool;
}

// Work to do once the transaction a client is in has committed (waking the outbox relay).
const commitHooks = new WeakMap<object, Array<() => void>>();

/** Runs `hook` after `tx` commits (never if it rolls back); at once when `tx` is in no
 * withTransaction (an autocommit statement has already committed). */
export function afterCommit(tx: Queryable, hook: () => void): void {
  const hooks = commitHooks.get(tx);
  if (hooks) hooks.push(hook);
  else hook();
}

/** Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK when it throws. */
export async function withTransaction<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const hooks: Array<() => void> = [];
  commitHooks.set(client, hooks);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    commitHooks.delete(client);
    for (const hook of hooks) hook();
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true; // the connection is gone: do not hand it back to the pool
    }
    throw error;
  } finally {
    commitHooks.delete(client);
    client.release(broken);
  }
}

export function databaseCheck(pool: Pool): ReadinessCheck {
  return {
    name: 'database',
    async check() {
      await pool.query('SELECT 1');
    },
  };
}

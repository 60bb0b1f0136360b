// The weekly partitions of raw events: created ahead and on demand, dropped by retention.
// A partition is made as a plain table and then attached, which takes a SHARE UPDATE EXCLUSIVE
// lock on `events` (inserts and reads go on); dropping detaches CONCURRENTLY first. Both wait at
// most a few seconds for locks, so a long export can delay maintenance but never stall ingest.
import type { Pool, Queryable } from '@azora/service-kit';
import { dateKey, WEEK_MS } from '../domain/time-buckets';

const PARTITION_NAME = /^events_p(\d{4})(\d{2})(\d{2})$/;
const LOCK_TIMEOUT = '5s';
const ADVISORY_KEY = 'analytics.partitions';

function partitionName(week: Date): string {
  return `events_p${dateKey(week).replaceAll('-', '')}`;
}

function weekOf(name: string): Date | null {
  const match = PARTITION_NAME.exec(name);
  return match ? new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00.000Z`) : null;
}

export interface Partitions {
  /** Creates the missing partitions of these weeks (Monday starts). */
  ensure(weeks: readonly Date[]): Promise<void>;
  /** Weeks with a partition, oldest first. */
  list(): Promise<Date[]>;
  /** Detaches and drops every partition whose week ends at or before `cutoff`. */
  dropBefore(cutoff: Date): Promise<Date[]>;
}

async function detachedTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'events\\_p%'
       AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)`,
  );
  return rows.map((r) => r.name);
}

/** The partitions attached to `events` (one being detached is still there, `pending`). */
async function attached(db: Queryable): Promise<Array<{ name: string; week: Date; pending: boolean }>> {
  const { rows } = await db.query<{ name: string; pending: boolean }>(
    `SELECT c.relname AS name, i.inhdetachpending AS pending
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'events'::regclass`,
  );
  return rows.flatMap((row) => {
    const week = weekOf(row.name);
    return week ? [{ name: row.name, week, pending: row.pending }] : [];
  });
}

export function createPartitions(pool: Pool): Partitions {
  // Weeks known to have a partition: the common case answers without a query.
  const known = new Set<number>();

  async function create(weeks: Date[]): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      // One creator at a time across instances; the others find the partition there.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [ADVISORY_KEY]);
      const present = new Set((await attached(client)).map((p) => p.name));
      for (const week of weeks) {
        const name = partitionName(week);
        if (present.has(name)) continue;
        const from = week.toISOString();
        const to = new Date(week.getTime() + WEEK_MS).toISOString();
        await client.query(`CREATE TABLE ${name} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
        await client.query(`ALTER TABLE events ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    for (const week of weeks) known.add(week.getTime());
  }

  return {
    async ensure(weeks) {
      const missing = [...new Set(weeks.map((w) => w.getTime()))].filter((t) => !known.has(t)).sort((a, b) => a - b);
      if (missing.length > 0) await create(missing.map((t) => new Date(t)));
    },

    async list() {
      const weeks = (await attached(pool))
        .filter((p) => !p.pending)
        .map((p) => p.week)
        .sort((a, b) => a.getTime() - b.getTime());
      known.clear();
      for (const week of weeks) known.add(week.getTime());
      return weeks;
    },

    async dropBefore(cutoff) {
      const expired = (t: Date) => t.getTime() + WEEK_MS <= cutoff.getTime();
      const client = await pool.connect();
      const dropped: Date[] = [];
      try {
        await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
        for (const partition of (await attached(pool)).filter((p) => expired(p.week))) {
          known.delete(partition.week.getTime());
          // DETACH ... CONCURRENTLY runs outside a transaction; one interrupted earlier is still
          // pending and is finished with FINALIZE instead.
          await client.query(
            `ALTER TABLE events DETACH PARTITION ${partition.name} ${partition.pending ? 'FINALIZE' : 'CONCURRENTLY'}`,
          );
          await client.query(`DROP TABLE ${partition.name}`);
          dropped.push(partition.week);
        }
        // Detached before a crash but never dropped.
        for (const name of await detachedTables(client)) {
          const week = weekOf(name);
          if (week && expired(week)) await client.query(`DROP TABLE ${name}`);
        }
      } finally {
        await client.query('RESET lock_timeout').catch(() => undefined);
        client.release();
      }
      return dropped.sort((a, b) => a.getTime() - b.getTime());
    },
  };
}

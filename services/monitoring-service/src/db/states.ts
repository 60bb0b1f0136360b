// Each service's current verdict in SQL. A round holds the round lock (one round at a time
// across monitoring instances) while it reads the previous verdicts and writes the new ones.
import type { ServiceHealth } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { ServiceState } from '../domain/records';

interface StateRow {
  service: string;
  status: ServiceHealth;
  since: Date;
  reason: string | null;
  latency_ms: number;
  version: string | null;
  checked_at: Date;
}

const toState = (row: StateRow): ServiceState => ({
  service: row.service,
  status: row.status,
  since: row.since,
  reason: row.reason,
  latencyMs: row.latency_ms,
  version: row.version,
  checkedAt: row.checked_at,
});

/** Rounds of several instances take turns: held until the round's transaction ends. */
export async function lockRound(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('monitoring.probe_round'))`);
}

export async function readStates(db: Queryable): Promise<Map<string, ServiceState>> {
  const { rows } = await db.query<StateRow>(
    'SELECT service, status, since, reason, latency_ms, version, checked_at FROM service_states',
  );
  return new Map(rows.map((row) => [row.service, toState(row)]));
}

export async function writeStates(db: Queryable, states: readonly ServiceState[]): Promise<void> {
  if (states.length === 0) return;
  await db.query(
    `INSERT INTO service_states (service, status, since, reason, latency_ms, version, checked_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::int[], $6::text[], $7::timestamptz[])
     ON CONFLICT (service) DO UPDATE SET status = excluded.status, since = excluded.since, reason = excluded.reason,
       latency_ms = excluded.latency_ms, version = excluded.version, checked_at = excluded.checked_at`,
    [
      states.map((s) => s.service),
      states.map((s) => s.status),
      states.map((s) => s.since),
      states.map((s) => s.reason),
      states.map((s) => Math.round(s.latencyMs)),
      states.map((s) => s.version),
      states.map((s) => s.checkedAt),
    ],
  );
}

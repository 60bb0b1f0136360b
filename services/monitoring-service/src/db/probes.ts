// Probe results in SQL: a round's rows in one statement, each service's newest outcomes, and
// the deletion of what is older than the retention.
import type { Queryable } from '@azora/service-kit';
import type { ProbeResult } from '../domain/records';

export interface StoredOutcome {
  readonly ready: boolean;
  readonly latencyMs: number;
  readonly reason: string | null;
  readonly checkedAt: Date;
}

export async function insertProbes(db: Queryable, results: readonly ProbeResult[]): Promise<void> {
  if (results.length === 0) return;
  await db.query(
    `INSERT INTO probes (service, checked_at, ready, latency_ms, reason, version)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::boolean[], $4::int[], $5::text[], $6::text[])`,
    [
      results.map((r) => r.service),
      results.map((r) => r.checkedAt),
      results.map((r) => r.ready),
      results.map((r) => Math.round(r.latencyMs)),
      results.map((r) => r.reason),
      results.map((r) => r.version),
    ],
  );
}

/** Each service's newest `limit` outcomes checked after `since`, newest first. */
export async function recentOutcomes(
  db: Queryable,
  services: readonly string[],
  { limit, since }: { limit: number; since: Date },
): Promise<Map<string, StoredOutcome[]>> {
  const { rows } = await db.query<{
    service: string;
    ready: boolean;
    latency_ms: number;
    reason: string | null;
    checked_at: Date;
  }>(
    `SELECT s.service, p.ready, p.latency_ms, p.reason, p.checked_at
     FROM unnest($1::text[]) AS s(service)
     CROSS JOIN LATERAL (
       SELECT ready, latency_ms, reason, checked_at FROM probes
       WHERE service = s.service AND checked_at > $3 ORDER BY checked_at DESC, id DESC LIMIT $2
     ) p
     ORDER BY s.service, p.checked_at DESC`,
    [services, limit, since],
  );
  const outcomes = new Map<string, StoredOutcome[]>();
  for (const row of rows) {
    const list = outcomes.get(row.service) ?? [];
    list.push({ ready: row.ready, latencyMs: row.latency_ms, reason: row.reason, checkedAt: row.checked_at });
    outcomes.set(row.service, list);
  }
  return outcomes;
}

export async function deleteProbesBefore(db: Queryable, cutoff: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM probes WHERE checked_at < $1', [cutoff]);
  return rowCount ?? 0;
}

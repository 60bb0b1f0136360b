// Incidents in SQL: opened at most once per service while one is open (the partial unique
// index), resolved by the round that finds the service back, listed newest first by keyset.
import type { Queryable } from '@azora/service-kit';
import type { IncidentRecord } from '../domain/records';

interface IncidentRow {
  id: string;
  service: string;
  started_at: Date;
  ended_at: Date | null;
  cause: string;
}

const toIncident = (row: IncidentRow): IncidentRecord => ({
  id: row.id,
  service: row.service,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  cause: row.cause,
});

/** Opens an incident; false when the service already has an open one. */
export async function openIncident(db: Queryable, incident: Omit<IncidentRecord, 'endedAt'>): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO incidents (id, service, started_at, cause) VALUES ($1, $2, $3, $4)
     ON CONFLICT (service) WHERE ended_at IS NULL DO NOTHING`,
    [incident.id, incident.service, incident.startedAt, incident.cause],
  );
  return (rowCount ?? 0) > 0;
}

/** Resolves the service's open incident; returns it, or null when none was open. */
export async function resolveIncident(db: Queryable, service: string, endedAt: Date): Promise<IncidentRecord | null> {
  const { rows } = await db.query<IncidentRow>(
    `UPDATE incidents SET ended_at = greatest($2, started_at) WHERE service = $1 AND ended_at IS NULL
     RETURNING id, service, started_at, ended_at, cause`,
    [service, endedAt],
  );
  return rows[0] ? toIncident(rows[0]) : null;
}

export interface IncidentFilter {
  readonly service?: string | undefined;
  readonly state?: 'open' | 'resolved' | undefined;
  /** The keyset position to continue after: [startedAt, id]. */
  readonly after?: { startedAt: string; id: string } | undefined;
  readonly limit: number;
}

export async function listIncidents(db: Queryable, filter: IncidentFilter): Promise<IncidentRecord[]> {
  const { rows } = await db.query<IncidentRow>(
    `SELECT id, service, started_at, ended_at, cause FROM incidents
     WHERE ($1::text IS NULL OR service = $1)
       AND ($2::text IS NULL OR ($2 = 'open') = (ended_at IS NULL))
       AND ($3::timestamptz IS NULL OR (started_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY started_at DESC, id DESC LIMIT $5`,
    [
      filter.service ?? null,
      filter.state ?? null,
      filter.after?.startedAt ?? null,
      filter.after?.id ?? null,
      filter.limit,
    ],
  );
  return rows.map(toIncident);
}

export async function deleteResolvedBefore(db: Queryable, cutoff: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM incidents WHERE ended_at < $1', [cutoff]);
  return rowCount ?? 0;
}

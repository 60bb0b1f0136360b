// Preference switches in SQL: one row per (user, kind, channel) the user changed.
import type { NotificationKind } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { PreferenceSwitch } from '../domain/preferences';

export async function readSwitches(
  db: Queryable,
  userId: string,
  kind?: NotificationKind,
): Promise<PreferenceSwitch[]> {
  const { rows } = await db.query<PreferenceSwitch>(
    `SELECT kind, channel, enabled FROM preferences WHERE user_id = $1 AND ($2::text IS NULL OR kind = $2)`,
    [userId, kind ?? null],
  );
  return rows;
}

export async function writeSwitches(
  db: Queryable,
  userId: string,
  switches: readonly PreferenceSwitch[],
  now: Date,
): Promise<void> {
  if (switches.length === 0) return;
  await db.query(
    `INSERT INTO preferences (user_id, kind, channel, enabled, updated_at)
     SELECT $1, kind, channel, enabled, $5 FROM unnest($2::text[], $3::text[], $4::boolean[]) AS s(kind, channel, enabled)
     ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at`,
    [userId, switches.map((s) => s.kind), switches.map((s) => s.channel), switches.map((s) => s.enabled), now],
  );
}

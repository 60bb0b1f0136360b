// Looking into a Nexus the same way on both backends: the stored log through the replay route
// (as analytics reads it), dead letters made directly in their table (PostgreSQL on both), and
// what Nexus holds to hear appends while streams are open.
import request from 'supertest';
import { ReplayResponse, type StoredEvent } from '@azora/contracts';
import type { Nexus } from './harness';
import { natsServer } from './nats-server';

/** Every stored event after `after`, in seq order, read through GET /events. */
export async function storedEvents(nexus: Nexus, after = 0): Promise<StoredEvent[]> {
  const token = await nexus.token('analytics-service');
  const events: StoredEvent[] = [];
  for (let cursor: number | null = after; cursor !== null;) {
    const res = await request(nexus.app).get(`/events?after=${cursor}&limit=1000`).auth(token, { type: 'bearer' });
    if (res.status !== 200) throw new Error(`replay answered ${res.status}: ${res.text}`);
    const page = ReplayResponse.parse(res.body);
    events.push(...page.events);
    cursor = page.next;
  }
  return events;
}

/** How many stored events have one of `ids`. */
export async function countStored(nexus: Nexus, ids: readonly string[]): Promise<number> {
  const wanted = new Set(ids);
  return (await storedEvents(nexus)).filter((e) => wanted.has(e.id)).length;
}

/** A subscription row of `subscriber` (no consumer endpoint needed for listing or retrying). */
export async function subscriptionRow(
  nexus: Nexus,
  { subscriber, endpoint, secret = 's' }: { subscriber: string; endpoint: string; secret?: string },
): Promise<string> {
  const { rows } = await nexus.pool.query<{ id: string }>(
    `INSERT INTO subscriptions (subscriber, endpoint, topics, secret) VALUES ($1, $2, '{*}', $3) RETURNING id`,
    [subscriber, endpoint, secret],
  );
  return rows[0]?.id as string;
}

/** Dead letters of `subscriptionId`, one per stored event, as delivery gives up on them. */
export async function addDeadLetters(
  nexus: Nexus,
  subscriptionId: string,
  events: readonly StoredEvent[],
): Promise<string[]> {
  const { rows } = await nexus.pool.query<{ id: string }>(
    `INSERT INTO dead_letters (subscription_id, event_seq, event, attempts, last_error)
     SELECT $1, (e->>'seq')::bigint, e, 8, 'HTTP 500' FROM unnest($2::jsonb[]) WITH ORDINALITY AS t(e, ord)
     ORDER BY ord RETURNING id`,
    [subscriptionId, events.map((e) => JSON.stringify(e))],
  );
  return rows.map((r) => r.id);
}

/** Stored copies of what `publish` answered, in its order. */
export async function storedCopies(nexus: Nexus, published: { events: { seq: number }[] }): Promise<StoredEvent[]> {
  const bySeq = new Map((await storedEvents(nexus)).map((e) => [e.seq, e]));
  return published.events.map(({ seq }) => bySeq.get(seq) as StoredEvent);
}

/** What Nexus holds to hear appends for its streams: LISTEN sessions on PostgreSQL, subscriptions
 * to the stream's `appended` subject on NATS (from the server's monitor). */
export async function streamListeners(nexus: Nexus): Promise<number> {
  if (nexus.nats) {
    const res = await fetch(`${(await natsServer()).monitorUrl}/connz?subs=1`);
    const { connections } = (await res.json()) as { connections: Array<{ subscriptions_list?: string[] }> };
    const subject = nexus.nats.appendedSubject;
    return connections.flatMap((c) => c.subscriptions_list ?? []).filter((s) => s === subject).length;
  }
  // Sessions of this database listening on a channel: their last statement was LISTEN.
  const { rows } = await nexus.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`,
  );
  return rows[0]?.n ?? 0;
}

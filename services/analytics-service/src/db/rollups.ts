// The roller's transactions: take the oldest queued batches, then for all their events at once
// the people they touch, identity links, activity, the counters and the funnel timelines; and,
// once a day is over, summarize it into the timelines. One roller works at a time (a
// transaction-level advisory lock, across instances), so it reads and writes the roll-ups
// without row locks and no two batches ever contend for a counter. The SQL of each step is in
// people.ts, counters.ts and timelines.ts; what the steps decide is in domain/people-plan.ts.
import type { Tx } from '@azora/service-kit';
import { earliestLinks, planPeople, type PeoplePlan } from '../domain/people-plan';
import type { RollUpOutcome } from '../domain/ports';
import { RollupDeltas } from '../domain/rollup-deltas';
import { bucketStart, bucketTexts, dateKey } from '../domain/time-buckets';
import { addToCounters } from './counters';
import {
  createPeople,
  loadPeople,
  mergeVisitors,
  recordActivity,
  retentionContributions,
  setFirstSeen,
  type ActivityKey,
} from './people';
import { claimQueued, type QueuedBatch } from './rollup-queue';
import { addLateTimes, moveTimelines, summarizedUntil, summarizeNextDay } from './timelines';

const ROLLUP_LOCK = 'analytics.rollups';

/** Waits for the roller's lock, held to the end of `tx`: work that must not run beside the roller. */
export async function takeRollerLock(tx: Tx): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [ROLLUP_LOCK]);
}

async function tryRollerLock(tx: Tx): Promise<boolean> {
  const { rows } = await tx.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS got', [
    ROLLUP_LOCK,
  ]);
  return rows[0]?.got === true;
}

/** Null when another roller holds the lock. */
export async function rollUpQueued(tx: Tx, maxBatches: number, now: Date): Promise<RollUpOutcome | null> {
  if (!(await tryRollerLock(tx))) return null;
  const claimed = await claimQueued(tx, maxBatches);
  const linked = claimed.events.length > 0 ? await applyToRollups(tx, claimed, now) : 0;
  return { batches: claimed.queuedAt.length, events: claimed.events.length, linked, queuedAt: claimed.queuedAt };
}

/**
 * Summarizes the next day that is over into the funnel timelines (timelines.ts), under the
 * roller's lock. Null when another roller holds it; `day` null when no day is left to summarize.
 */
export async function summarizeTimelines(tx: Tx, now: Date): Promise<{ day: Date | null } | null> {
  if (!(await tryRollerLock(tx))) return null;
  // A busy day may take longer than a request may: the lock keeps it to one at a time.
  await tx.query(`SET LOCAL statement_timeout = 0`);
  return { day: await summarizeNextDay(tx, now) };
}

async function applyToRollups(tx: Tx, { events, links: requested }: QueuedBatch, now: Date): Promise<number> {
  const deltas = new RollupDeltas();
  for (const event of events) deltas.event(event.name, event.timestamp);

  const links = earliestLinks(requested);
  // Each person's earliest event here; a linked visitor never seen before gets a row to merge.
  const firstSeen = new Map<string, Date>();
  for (const { personId, timestamp } of events) {
    const known = personId ? firstSeen.get(personId) : undefined;
    if (personId && (!known || timestamp.getTime() < known.getTime())) firstSeen.set(personId, timestamp);
  }
  for (const link of links) if (!firstSeen.has(link.visitor)) firstSeen.set(link.visitor, link.at);
  const created = await createPeople(
    tx,
    [...firstSeen].map(([personId, at]) => ({ personId, firstSeen: at })),
  );
  const state = await loadPeople(tx, [...firstSeen.keys()]);
  const targets = [...state.values()].flatMap((s) => (s.mergedInto && !state.has(s.mergedInto) ? [s.mergedInto] : []));
  for (const [id, person] of await loadPeople(tx, targets)) state.set(id, person);

  const plan = planPeople({ events, state, created, links });
  const recount = [...plan.recount];
  for (const c of await retentionContributions(tx, recount)) deltas.retained(c.cohort, c.week, -c.users);
  for (const gone of await mergeVisitors(tx, plan.merges, now)) deltas.activity(gone.period, gone.bucket, -1);
  await setFirstSeen(tx, plan.firstSeenChanges);
  await updateTimelines(tx, events, plan);

  // A person active on a day is active in its week and month: those rows exist whenever the
  // day's does, so only a new day can add a week or a month.
  const days = new Map<string, ActivityKey>();
  const dayOf = bucketTexts('day');
  for (const event of events) {
    if (!event.personId) continue;
    const personId = plan.redirects.get(event.personId) ?? event.personId;
    const bucket = dayOf(event.timestamp);
    const key = `${personId}|${bucket}`;
    if (!days.has(key)) days.set(key, { personId, period: 'day', bucket });
  }
  const newDays = await recordActivity(tx, [...days.values()]);
  const wider = new Map<string, ActivityKey>();
  for (const { personId, bucket } of newDays) {
    for (const period of ['week', 'month'] as const) {
      const start = dateKey(bucketStart(period, new Date(`${bucket}T00:00:00.000Z`)));
      wider.set(`${personId}|${period}|${start}`, { personId, period, bucket: start });
    }
  }
  for (const added of [...newDays, ...(await recordActivity(tx, [...wider.values()]))]) {
    deltas.activity(added.period, added.bucket, 1);
    const cohort = plan.cohorts.get(added.personId);
    if (added.period === 'week' && cohort && !plan.recount.has(added.personId))
      deltas.retained(dateKey(cohort), added.bucket, 1);
  }
  for (const c of await retentionContributions(tx, recount)) deltas.retained(c.cohort, c.week, c.users);

  await addToCounters(tx, deltas);
  return plan.merges.length;
}

/** Moves merged visitors' timelines to their users and adds the events of days already summarized. */
async function updateTimelines(tx: Tx, events: QueuedBatch['events'], plan: PeoplePlan): Promise<void> {
  await moveTimelines(tx, plan.merges);
  const until = await summarizedUntil(tx);
  if (!until) return;
  const late = events.flatMap(({ name, personId, timestamp }) =>
    personId && timestamp.getTime() < until.getTime()
      ? [{ name, personId: plan.redirects.get(personId) ?? personId, timestamp }]
      : [],
  );
  await addLateTimes(tx, late);
}

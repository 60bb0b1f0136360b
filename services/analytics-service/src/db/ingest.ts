// Storing a batch in one transaction: the raw events first (the bulk of the work, which
// concurrent batches do side by side), then, for the events stored now, the people they touch
// (locked in id order), identity links, activity and the counters. Each step's SQL is in
// raw-events.ts, people.ts and counters.ts; what the steps decide is in domain/people-plan.ts.
import type { Tx } from '@azora/service-kit';
import type { IngestOutcome, NewEvent } from '../domain/ports';
import { linkRequests, planPeople, type PersonState } from '../domain/people-plan';
import { provisionalPerson } from '../domain/persons';
import { activityBuckets, RollupDeltas } from '../domain/rollup-deltas';
import { dateKey } from '../domain/time-buckets';
import { addToCounters } from './counters';
import {
  createPeople,
  lockPeople,
  mergeTargets,
  mergeVisitors,
  recordActivity,
  retentionContributions,
  setFirstSeen,
  type ActivityKey,
} from './people';
import { eventKey, insertRawEvents, rekeyAnonymousEvents, type RawRow } from './raw-events';

export async function ingestBatch(tx: Tx, events: readonly NewEvent[], now: Date): Promise<IngestOutcome> {
  const rows = await withKnownLinks(tx, events);
  const stored = await insertRawEvents(tx, rows);
  const fresh = rows.filter((row) => stored.has(eventKey(row.timestamp, row.id)));
  if (fresh.length === 0) return { stored: 0, linked: 0 };
  const linked = await updateRollups(tx, fresh, now);
  return { stored: fresh.length, linked };
}

/** The rows to store: anonymous events of a visitor known to have identified count for the user. */
async function withKnownLinks(tx: Tx, events: readonly NewEvent[]): Promise<RawRow[]> {
  const visitors = [
    ...new Set(events.flatMap((e) => (!e.userId && e.anonymousId ? [provisionalPerson(e) as string] : []))),
  ];
  const targets = await mergeTargets(tx, visitors);
  return events.map((event) => {
    const person = provisionalPerson(event);
    return { ...event, personId: person === null ? null : (targets.get(person) ?? person) };
  });
}

async function updateRollups(tx: Tx, fresh: readonly RawRow[], now: Date): Promise<number> {
  const deltas = new RollupDeltas();
  for (const row of fresh) deltas.event(row.name, row.timestamp);

  const links = linkRequests(fresh);
  // Each person's earliest event here; a linked visitor never seen before gets a row to merge.
  const firstSeen = new Map<string, Date>();
  for (const row of fresh) {
    const known = row.personId ? firstSeen.get(row.personId) : undefined;
    if (row.personId && (!known || row.timestamp.getTime() < known.getTime()))
      firstSeen.set(row.personId, row.timestamp);
  }
  const batchPeople = [...firstSeen.keys()];
  for (const link of links) if (!firstSeen.has(link.visitor)) firstSeen.set(link.visitor, link.at);
  const created = await createPeople(
    tx,
    [...firstSeen].map(([personId, at]) => ({ personId, firstSeen: at })),
  );
  const state = await lockPeople(tx, [...firstSeen.keys()]);
  await lockMergeTargets(tx, state, batchPeople);

  const plan = planPeople({ events: fresh, state, created, links });
  const recount = [...plan.recount];
  for (const c of await retentionContributions(tx, recount)) deltas.retained(c.cohort, c.week, -c.users);

  for (const gone of await mergeVisitors(tx, plan.merges, now)) deltas.activity(gone.period, gone.bucket, -1);
  const moved = [...plan.redirects];
  await rekeyAnonymousEvents(
    tx,
    moved.map(([visitor]) => visitor),
    moved.map(([, user]) => user),
  );
  await setFirstSeen(tx, plan.firstSeenChanges);

  const activity = new Map<string, ActivityKey>();
  for (const row of fresh) {
    if (!row.personId) continue;
    const personId = plan.redirects.get(row.personId) ?? row.personId;
    for (const { period, bucket } of activityBuckets(row.timestamp))
      activity.set(`${personId}|${period}|${bucket}`, { personId, period, bucket });
  }
  const sortedActivity = [...activity.keys()].sort().map((key) => activity.get(key) as ActivityKey);
  for (const added of await recordActivity(tx, sortedActivity)) {
    deltas.activity(added.period, added.bucket, 1);
    const cohort = plan.cohorts.get(added.personId);
    if (added.period === 'week' && cohort && !plan.recount.has(added.personId))
      deltas.retained(dateKey(cohort), added.bucket, 1);
  }
  for (const c of await retentionContributions(tx, recount)) deltas.retained(c.cohort, c.week, c.users);

  await addToCounters(tx, deltas);
  return plan.merges.length;
}

/**
 * Visitors of the batch merged by another batch that committed after this one read the links:
 * their events count for the user, who is locked too (out of id order: a rare deadlock that
 * the transaction's retry resolves).
 */
async function lockMergeTargets(tx: Tx, state: Map<string, PersonState>, people: readonly string[]): Promise<void> {
  const missing = people.flatMap((id) => {
    const target = state.get(id)?.mergedInto;
    return target && !state.has(target) ? [target] : [];
  });
  if (missing.length === 0) return;
  for (const [id, person] of await lockPeople(tx, missing)) state.set(id, person);
}

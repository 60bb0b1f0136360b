// What a batch does to the people it touches, decided from their locked state: which visitors
// are merged into a user (the first event carrying both an anonymous id and a signed-in user
// links them), where each event now counts, whose first-seen time moves earlier, and whose
// retention must be recounted because their cohort or their weeks changed.
import { bucketStart } from './time-buckets';

export interface PersonState {
  readonly firstSeen: Date;
  /** Set when this visitor identified: the user their activity counts for. */
  readonly mergedInto: string | null;
}

/** An event as the roll-ups see it: when, what, and who it was stored for. */
export interface PlannedEvent {
  readonly timestamp: Date;
  readonly name: string;
  readonly personId: string | null;
}

export interface LinkRequest {
  readonly visitor: string;
  readonly user: string;
  readonly at: Date;
}

/** Sign-ins on a visitor's device (events carrying both ids) of several batches: the earliest per visitor. */
export function earliestLinks(links: readonly LinkRequest[]): LinkRequest[] {
  const earliest = new Map<string, LinkRequest>();
  for (const link of links) {
    const known = earliest.get(link.visitor);
    if (!known || link.at.getTime() < known.at.getTime()) earliest.set(link.visitor, link);
  }
  return [...earliest.values()];
}

export interface PeoplePlan {
  /** Visitors merged into a user by this batch. */
  readonly merges: ReadonlyArray<{ visitor: string; user: string }>;
  /** Person an event of the batch counts for, when it is not the one it was stored with. */
  readonly redirects: ReadonlyMap<string, string>;
  readonly firstSeenChanges: ReadonlyArray<{ personId: string; firstSeen: Date }>;
  /** People whose retention is counted again from scratch (before and after the batch). */
  readonly recount: ReadonlySet<string>;
  /** The week each person of the batch is a cohort of, after it. */
  readonly cohorts: ReadonlyMap<string, Date>;
}

export interface PlanInput {
  readonly events: readonly PlannedEvent[];
  /** Every person the batch touches (its people, link visitors and their users), locked. */
  readonly state: ReadonlyMap<string, PersonState>;
  /** People created by this batch: they have no activity stored yet. */
  readonly created: ReadonlySet<string>;
  readonly links: readonly LinkRequest[];
}

const earlier = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);
const weekOf = (at: Date) => bucketStart('week', at).getTime();

export function planPeople({ events, state, created, links }: PlanInput): PeoplePlan {
  const redirects = new Map<string, string>();
  for (const e of events) {
    const merged = e.personId ? state.get(e.personId)?.mergedInto : null;
    if (e.personId && merged) redirects.set(e.personId, merged);
  }
  const merges: Array<{ visitor: string; user: string }> = [];
  for (const link of [...links].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const visitor = state.get(link.visitor);
    if (!visitor || visitor.mergedInto !== null || redirects.has(link.visitor)) continue;
    merges.push({ visitor: link.visitor, user: link.user });
    redirects.set(link.visitor, link.user);
  }

  const firstSeen = new Map<string, Date>();
  const see = (person: string, at: Date) => {
    const known = firstSeen.get(person);
    firstSeen.set(person, known ? earlier(known, at) : at);
  };
  for (const e of events) {
    if (!e.personId) continue;
    const person = redirects.get(e.personId) ?? e.personId;
    const stored = state.get(person);
    see(person, stored ? earlier(stored.firstSeen, e.timestamp) : e.timestamp);
  }
  const recount = new Set<string>();
  for (const { visitor, user } of merges) {
    const stored = state.get(visitor);
    if (stored) see(user, stored.firstSeen);
    // A visitor created by this very batch has no activity of its own to move.
    if (!created.has(visitor)) {
      recount.add(visitor);
      recount.add(user);
    }
  }

  const firstSeenChanges: Array<{ personId: string; firstSeen: Date }> = [];
  const cohorts = new Map<string, Date>();
  for (const [person, seen] of firstSeen) {
    const stored = state.get(person);
    cohorts.set(person, bucketStart('week', seen));
    if (!stored || stored.firstSeen.getTime() === seen.getTime()) continue;
    firstSeenChanges.push({ personId: person, firstSeen: seen });
    if (!created.has(person) && weekOf(stored.firstSeen) !== weekOf(seen)) recount.add(person);
  }
  return { merges, redirects, firstSeenChanges, recount, cohorts };
}

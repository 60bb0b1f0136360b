// Who an event counts for. A signed-in user is their user id; an anonymous visitor is a key
// derived from their anonymous id, the same in SQL (md5('anonymous:' || id)::uuid) and here,
// so a rebuild from raw events finds the same people.
import { createHash } from 'node:crypto';

export function anonymousPersonId(anonymousId: string): string {
  const hex = createHash('md5').update(`anonymous:${anonymousId}`, 'utf8').digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Sender = { userId: string | null; anonymousId: string | null };

/**
 * The person an event of this batch counts for before any link is known: the user, else the
 * visitor (each visitor's id hashed once per batch).
 */
export function provisionalPeople(): (event: Sender) => string | null {
  const visitors = new Map<string, string>();
  return (event) => {
    if (event.userId || !event.anonymousId) return event.userId;
    let person = visitors.get(event.anonymousId);
    if (!person) visitors.set(event.anonymousId, (person = anonymousPersonId(event.anonymousId)));
    return person;
  };
}

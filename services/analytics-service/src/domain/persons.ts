// Who an event counts for. A signed-in user is their user id; an anonymous visitor is a key
// derived from their anonymous id, the same in SQL (md5('anonymous:' || id)::uuid) and here,
// so a rebuild from raw events finds the same people.
import { createHash } from 'node:crypto';

export function anonymousPersonId(anonymousId: string): string {
  const hex = createHash('md5').update(`anonymous:${anonymousId}`, 'utf8').digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Sender = { userId: string | null; anonymousId: string | null };

/** The person an event counts for before any link is known: the user, else the visitor. */
export function provisionalPerson(event: Sender): string | null {
  if (event.userId) return event.userId;
  return event.anonymousId ? anonymousPersonId(event.anonymousId) : null;
}

/** provisionalPerson for the events of one batch, hashing each visitor's id once. */
export function provisionalPeople(): (event: Sender) => string | null {
  const visitors = new Map<string, string>();
  return (event) => {
    if (event.userId || !event.anonymousId) return event.userId;
    let person = visitors.get(event.anonymousId);
    if (!person) visitors.set(event.anonymousId, (person = anonymousPersonId(event.anonymousId)));
    return person;
  };
}

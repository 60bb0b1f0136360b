// Keyset cursors of Notification's listings. Each position ends with a unique key, so a page
// boundary never skips or repeats a row that ties on the others.
import { decodeCursor, encodeCursor } from '@azora/contracts';
import { invalidCursor } from './errors';

/** The inbox: unread (0) before read (1), then newest (highest seq) first. */
export interface InboxPosition {
  read: 0 | 1;
  seq: number;
}

/** Deliveries and mail: newest first, by PostgreSQL's exact microsecond text and the id. */
export interface TimePosition {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function encodeInboxPosition(p: InboxPosition): string {
  return encodeCursor(['i', p.read, p.seq]);
}

export function decodeInboxPosition(cursor: string): InboxPosition {
  const parts = decodeCursor(cursor);
  const [tag, read, seq] = parts ?? [];
  if (
    tag === 'i' &&
    (read === 0 || read === 1) &&
    Number.isSafeInteger(seq) &&
    (seq as number) > 0 &&
    parts?.length === 3
  )
    return { read, seq: seq as number };
  throw invalidCursor();
}

export function encodeTimePosition(tag: string, p: TimePosition): string {
  return encodeCursor([tag, p.at, p.id]);
}

export function decodeTimePosition(tag: string, cursor: string): TimePosition {
  const parts = decodeCursor(cursor);
  const [t, at, id] = parts ?? [];
  if (
    t === tag &&
    typeof at === 'string' &&
    TIMESTAMP.test(at) &&
    typeof id === 'string' &&
    UUID.test(id) &&
    parts?.length === 3
  )
    return { at, id };
  throw invalidCursor();
}

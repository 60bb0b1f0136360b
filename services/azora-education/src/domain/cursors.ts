// Keyset cursors of Education's listings. Each position ends with the row id, so rows that tie
// on every other key still have one fixed order and a page boundary never skips or repeats one.
// Timestamps travel as PostgreSQL's own microsecond text and ranks as float4 text, so the
// position compares in SQL exactly as it was read.
import { decodeCursor, encodeCursor } from '@azora/contracts';
import { invalidCursor } from './errors';

/** The catalogue without a query: newest published first. */
export interface RecentPosition {
  kind: 'recent';
  publishedAt: string;
  id: string;
}

/** The catalogue with a query: best rank first, then newest. */
export interface RankedPosition {
  kind: 'ranked';
  rank: string;
  publishedAt: string;
  id: string;
}

export type CataloguePosition = RecentPosition | RankedPosition;

/** GET /me/enrollments: newest enrolment first. */
export interface EnrollmentPosition {
  createdAt: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const RANK = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;

const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const isTimestamp = (v: unknown): v is string => typeof v === 'string' && TIMESTAMP.test(v);
const isRank = (v: unknown): v is string => typeof v === 'string' && RANK.test(v);

export function encodeCataloguePosition(position: CataloguePosition): string {
  return position.kind === 'ranked'
    ? encodeCursor(['r', position.rank, position.publishedAt, position.id])
    : encodeCursor(['p', position.publishedAt, position.id]);
}

/** The position of a catalogue cursor; a 400 when it is malformed or of the other ordering. */
export function decodeCataloguePosition(cursor: string, ranked: boolean): CataloguePosition {
  const parts = decodeCursor(cursor);
  if (ranked && parts?.[0] === 'r') {
    const [, rank, publishedAt, id] = parts;
    if (isRank(rank) && isTimestamp(publishedAt) && isUuid(id) && parts.length === 4)
      return { kind: 'ranked', rank, publishedAt, id };
  }
  if (!ranked && parts?.[0] === 'p') {
    const [, publishedAt, id] = parts;
    if (isTimestamp(publishedAt) && isUuid(id) && parts.length === 3) return { kind: 'recent', publishedAt, id };
  }
  throw invalidCursor();
}

export function encodeEnrollmentPosition(position: EnrollmentPosition): string {
  return encodeCursor(['e', position.createdAt, position.id]);
}

export function decodeEnrollmentPosition(cursor: string): EnrollmentPosition {
  const { at, id } = decodeTimestampPosition(cursor, 'e');
  return { createdAt: at, id };
}

/** A cursor of the form [tag, timestamp, id]; a 400 when it is malformed or of another listing. */
function decodeTimestampPosition(cursor: string, expected: string): { at: string; id: string } {
  const parts = decodeCursor(cursor);
  const [tag, at, id] = parts ?? [];
  if (tag === expected && isTimestamp(at) && isUuid(id) && parts?.length === 3) return { at, id };
  throw invalidCursor();
}

/** AI Family's catch-up listing of published courses: oldest publication first. */
export interface PublishedPosition {
  publishedAt: string;
  id: string;
}

export function encodePublishedPosition(position: PublishedPosition): string {
  return encodeCursor(['pub', position.publishedAt, position.id]);
}

export function decodePublishedPosition(cursor: string): PublishedPosition {
  const { at, id } = decodeTimestampPosition(cursor, 'pub');
  return { publishedAt: at, id };
}

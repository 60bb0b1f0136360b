// Keyset cursors of Forge's listings. Each position ends with the row id, so rows that tie on
// every other key still have one fixed order and a page boundary never skips or repeats one.
// Timestamps travel as PostgreSQL's own microsecond text and ranks as float4 text, so the
// position compares in SQL exactly as it was read.
import { decodeCursor, encodeCursor } from '@azora/contracts';
import { invalidCursor } from './errors';

/** The board without a query (`p`), an employer's jobs (`e`), an applicant's or a job's applications (`a`). */
export interface TimePosition {
  at: string;
  id: string;
}

/** The board with a query: best rank first, then newest. */
export interface RankedPosition {
  rank: string;
  at: string;
  id: string;
}

/** Recommendations: best coverage (in millionths) first, then newest. */
export interface ScoredPosition {
  score: number;
  at: string;
  id: string;
}

type TimeTag = 'p' | 'e' | 'a' | 'm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const RANK = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;

const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const isTimestamp = (v: unknown): v is string => typeof v === 'string' && TIMESTAMP.test(v);
const isRank = (v: unknown): v is string => typeof v === 'string' && RANK.test(v);
const isScore = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1_000_000;

export function encodeTimePosition(tag: TimeTag, position: TimePosition): string {
  return encodeCursor([tag, position.at, position.id]);
}

export function decodeTimePosition(tag: TimeTag, cursor: string): TimePosition {
  const parts = decodeCursor(cursor);
  const [found, at, id] = parts ?? [];
  if (found === tag && isTimestamp(at) && isUuid(id) && parts?.length === 3) return { at, id };
  throw invalidCursor();
}

export function encodeRankedPosition(position: RankedPosition): string {
  return encodeCursor(['r', position.rank, position.at, position.id]);
}

export function decodeRankedPosition(cursor: string): RankedPosition {
  const parts = decodeCursor(cursor);
  const [tag, rank, at, id] = parts ?? [];
  if (tag === 'r' && isRank(rank) && isTimestamp(at) && isUuid(id) && parts?.length === 4) return { rank, at, id };
  throw invalidCursor();
}

export function encodeScoredPosition(position: ScoredPosition): string {
  return encodeCursor(['s', position.score, position.at, position.id]);
}

export function decodeScoredPosition(cursor: string): ScoredPosition {
  const parts = decodeCursor(cursor);
  const [tag, score, at, id] = parts ?? [];
  if (tag === 's' && isScore(score) && isTimestamp(at) && isUuid(id) && parts?.length === 4) return { score, at, id };
  throw invalidCursor();
}

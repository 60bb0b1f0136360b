// Keyset pages over an ever-growing sequence (transfers, audit entries), newest first: the
// cursor is the last seq a page showed, opaque to the caller.
import { decodeCursor, encodeCursor, keysetPage, type Page } from '@azora/contracts';
import { invalidCursor } from './errors';

export function beforeSeq(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const position = decodeCursor(cursor);
  const seq = position?.[0];
  if (position?.length !== 1 || typeof seq !== 'number' || !Number.isSafeInteger(seq)) {
    throw invalidCursor();
  }
  return seq;
}

/** A page from `rows` fetched with limit + 1: the extra row only says there is a next page. */
export function pageBySeq<R extends { seq: number }, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
): Page<T> {
  return keysetPage(rows, limit, map, (last) => encodeCursor([last.seq]));
}

// The opaque cursor of the dead-letter list: the creation ordinal of the last one shown.
import { decodeCursor, encodeCursor } from '@azora/contracts';
import { invalidCursor } from './errors';

export function encodeDeadLetterCursor(ordinal: number): string {
  return encodeCursor([ordinal]);
}

/** The ordinal after which the list goes on; undefined for the first page. */
export function decodeDeadLetterCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeCursor(cursor);
  const ordinal = position?.[0];
  if (position?.length !== 1 || typeof ordinal !== 'number' || !Number.isSafeInteger(ordinal) || ordinal < 0) {
    throw invalidCursor();
  }
  return ordinal;
}

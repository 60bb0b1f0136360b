// Cursor pagination: opaque cursors, a bounded page size, and the page envelope.
import { z } from 'zod';

export const PageQuery = z.object({
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PageQuery = z.infer<typeof PageQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
  });
}
export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * A page of a keyset listing read with `limit + 1` rows: the extra row only says that another
 * page follows, from the position of the page's last row (`cursorOf`).
 */
export function keysetPage<R, T, C = string>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => T,
  cursorOf: (last: R) => C,
): { items: T[]; nextCursor: C | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toItem(row)),
    nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null,
  };
}

/** Encodes a keyset position (e.g. `[createdAt, id]`) as an opaque, URL-safe cursor. */
export function encodeCursor(position: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(position));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes a cursor made by encodeCursor; returns null for anything malformed. */
export function decodeCursor(cursor: string): (string | number)[] | null {
  try {
    // Works in browsers and Node alike: no Buffer.
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!Array.isArray(value)) return null;
    if (!value.every((v) => typeof v === 'string' || typeof v === 'number')) return null;
    return value as (string | number)[];
  } catch {
    return null;
  }
}

import { PageQuery, decodeCursor, encodeCursor, keysetPage } from '../src/pagination';

describe('cursor pagination', () => {
  it('When a keyset position is encoded, then it decodes to the same position and is URL-safe', () => {
    const position = ['2026-11-25T10:00:00.000Z', 'c0ffee00-0000-4000-8000-000000000000', 42, 'ünïcødé'];
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('When a cursor is garbage, then decoding returns null instead of throwing', () => {
    expect(decodeCursor('%%%')).toBeNull();
    expect(decodeCursor(encodeCursor([]).concat('x'))).toBeNull();
    expect(decodeCursor(btoa('{"a":1}'))).toBeNull();
  });

  it('When the page size is missing or out of range, then the default applies or the query is refused', () => {
    expect(PageQuery.parse({})).toEqual({ limit: 20 });
    expect(PageQuery.parse({ limit: '50' }).limit).toBe(50);
    expect(PageQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(PageQuery.safeParse({ limit: '101' }).success).toBe(false);
  });

  it('When a listing read one row more than the page, then the page ends before it and the cursor is its last row', () => {
    const rows = [{ seq: 5 }, { seq: 4 }, { seq: 3 }];
    const cursorOf = (row: { seq: number }) => encodeCursor([row.seq]);

    expect(keysetPage(rows, 2, (r) => r.seq * 10, cursorOf)).toEqual({
      items: [50, 40],
      nextCursor: encodeCursor([4]),
    });
    expect(keysetPage(rows, 3, (r) => r.seq, cursorOf)).toEqual({ items: [5, 4, 3], nextCursor: null });
    expect(keysetPage([], 3, (r: { seq: number }) => r.seq, cursorOf)).toEqual({ items: [], nextCursor: null });
  });
});

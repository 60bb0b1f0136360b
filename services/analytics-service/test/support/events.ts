// Tracked events for tests: a name and a time, everything else defaulted; and the way to read
// a report's series as plain numbers.
import { randomUUID } from 'node:crypto';
import type { TrackedEvent } from '@azora/contracts';

/** An event named `name` at `timestamp`, with a fresh id unless one is given. */
export function anEvent(name: string, timestamp: string, fields: Partial<TrackedEvent> = {}): TrackedEvent {
  return { id: randomUUID(), name, timestamp, properties: {}, ...fields };
}

/** `{start, users}` rows as `{ '2026-03-02': 3 }`, keyed by the bucket's date (or hour). */
export function byStart<K extends string>(
  series: ReadonlyArray<{ start: string } & Record<K, number>>,
  key: K,
): Record<string, number> {
  return Object.fromEntries(series.map((row) => [row.start.replace(/T00:00:00\.000Z$/, ''), row[key]]));
}

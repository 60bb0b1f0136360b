// UTC buckets: hour, day, ISO week (Monday 00:00) and calendar month, each named by its start.
// Every report and roll-up cuts time the same way, whatever the caller's time zone.
export type Interval = 'hour' | 'day' | 'week' | 'month';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

export function bucketStart(interval: Interval, at: Date): Date {
  const t = at.getTime();
  switch (interval) {
    case 'hour':
      return new Date(Math.floor(t / HOUR_MS) * HOUR_MS);
    case 'day':
      return new Date(Math.floor(t / DAY_MS) * DAY_MS);
    case 'week': {
      const day = Math.floor(t / DAY_MS) * DAY_MS;
      const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
      return new Date(day - sinceMonday * DAY_MS);
    }
    case 'month':
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  }
}

export function nextBucket(interval: Interval, start: Date): Date {
  switch (interval) {
    case 'hour':
      return new Date(start.getTime() + HOUR_MS);
    case 'day':
      return new Date(start.getTime() + DAY_MS);
    case 'week':
      return new Date(start.getTime() + WEEK_MS);
    case 'month':
      return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  }
}

/** Bucket starts from `first` through `last` (both bucket starts), at most `limit` of them. */
export function bucketStarts(interval: Interval, first: Date, last: Date, limit = Number.POSITIVE_INFINITY): Date[] {
  const starts: Date[] = [];
  for (let at = first; at.getTime() <= last.getTime() && starts.length < limit; at = nextBucket(interval, at)) {
    starts.push(at);
  }
  return starts;
}

/** How many buckets from `first` through `last`, without listing them. */
export function bucketCount(interval: Interval, first: Date, last: Date): number {
  if (last.getTime() < first.getTime()) return 0;
  if (interval === 'month') {
    return (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + (last.getUTCMonth() - first.getUTCMonth()) + 1;
  }
  const size = interval === 'hour' ? HOUR_MS : interval === 'day' ? DAY_MS : WEEK_MS;
  return Math.floor((last.getTime() - first.getTime()) / size) + 1;
}

/** `2026-03-02`: how a day, week or month bucket is stored in a SQL date column. */
export function dateKey(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/**
 * `dateKey` of the day or the ISO text of the hour an instant falls in, remembered: a roll-up
 * asks it for tens of thousands of events that fall in a handful of hours.
 */
export function bucketTexts(interval: 'hour' | 'day'): (at: Date) => string {
  const size = interval === 'hour' ? HOUR_MS : DAY_MS;
  const known = new Map<number, string>();
  return (at) => {
    const n = Math.floor(at.getTime() / size);
    let text = known.get(n);
    if (text === undefined) {
      const start = new Date(n * size);
      known.set(n, (text = interval === 'hour' ? start.toISOString() : dateKey(start)));
    }
    return text;
  };
}

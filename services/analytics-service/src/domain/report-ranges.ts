// How a report's `from` and `to` become the buckets or the instants it covers. A date means
// that whole UTC day; `to` is inclusive; without `from` a report looks back a default span.
import { bucketCount, bucketStart, nextBucket, DAY_MS, type Interval } from './time-buckets';
import { invalidRange } from './errors';

export interface RangeInput {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The first instant `value` names (a date: its 00:00 UTC). */
function startOf(value: string): Date {
  return new Date(DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : value);
}

/** The last instant `value` names (a date: the last millisecond of that UTC day). */
function endOf(value: string): Date {
  return DATE_ONLY.test(value) ? new Date(startOf(value).getTime() + DAY_MS - 1) : new Date(value);
}

export interface BucketRange {
  /** Start of the first bucket and of the last one. */
  readonly first: Date;
  readonly last: Date;
}

export interface BucketLimits {
  /** Buckets shown when `from` is not given (the last one included). */
  readonly defaultBuckets: number;
  readonly maxBuckets: number;
}

/** Every `interval` bucket from the one containing `from` through the one containing `to`. */
export function bucketRange(interval: Interval, input: RangeInput, now: Date, limits: BucketLimits): BucketRange {
  const last = bucketStart(interval, input.to === undefined ? now : endOf(input.to));
  let first: Date;
  if (input.from === undefined) {
    first = last;
    for (let i = 1; i < limits.defaultBuckets; i++) first = previousBucket(interval, first);
  } else {
    first = bucketStart(interval, startOf(input.from));
  }
  if (first.getTime() > last.getTime()) throw invalidRange('query.from', 'must not be after `to`');
  const count = bucketCount(interval, first, last);
  if (count > limits.maxBuckets)
    throw invalidRange('query.from', `at most ${limits.maxBuckets} ${interval}s in one report (asked for ${count})`);
  return { first, last };
}

function previousBucket(interval: Interval, start: Date): Date {
  // One millisecond before a bucket starts lies in the bucket before it.
  return bucketStart(interval, new Date(start.getTime() - 1));
}

export interface InstantRange {
  readonly from: Date;
  /** Exclusive end: one millisecond after the last instant `to` names. */
  readonly until: Date;
}

/** The instants from `from` through `to`, for funnels and exports. */
export function instantRange(
  input: RangeInput,
  now: Date,
  { defaultDays, maxDays, where }: { defaultDays: number; maxDays: number; where: 'query' | 'body' },
): InstantRange {
  const until = new Date((input.to === undefined ? now : endOf(input.to)).getTime() + 1);
  const from = input.from === undefined ? new Date(until.getTime() - defaultDays * DAY_MS) : startOf(input.from);
  if (from.getTime() >= until.getTime()) throw invalidRange(`${where}.from`, 'must be before `to`');
  if (until.getTime() - from.getTime() > maxDays * DAY_MS)
    throw invalidRange(`${where}.from`, `at most ${maxDays} days in one request`);
  return { from, until };
}

/** The bucket after `last`: where a range of buckets ends, exclusive. */
export function endOfBuckets(interval: Interval, last: Date): Date {
  return nextBucket(interval, last);
}

// The shapes reports answer with: series with every bucket (zeros included), funnel steps with
// their rates, and the retention table, from the few numbers the store returns.
import type { FunnelReport, RetentionReport } from '@azora/contracts';
import type { BucketValue, RetentionCell } from './ports';
import { bucketStarts, nextBucket, type Interval } from './time-buckets';

/** Every bucket from `first` through `last`, with the store's value or 0. */
export function filledSeries(
  interval: Interval,
  first: Date,
  last: Date,
  values: readonly BucketValue[],
): Array<{ start: string; value: number }> {
  const byStart = new Map(values.map((v) => [v.bucket.getTime(), v.value]));
  return bucketStarts(interval, first, last).map((start) => ({
    start: start.toISOString(),
    value: byStart.get(start.getTime()) ?? 0,
  }));
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);

export function funnelReport(
  steps: readonly string[],
  counts: readonly number[],
  range: { from: Date; until: Date; windowHours: number },
): FunnelReport {
  const entered = counts[0] ?? 0;
  const converted = counts[counts.length - 1] ?? 0;
  return {
    from: range.from.toISOString(),
    to: range.until.toISOString(),
    windowHours: range.windowHours,
    entered,
    converted,
    conversionRate: share(converted, entered),
    steps: steps.map((name, i) => {
      const count = counts[i] ?? 0;
      return {
        name,
        count,
        conversionRate: share(count, entered),
        stepConversionRate: i === 0 ? (entered === 0 ? 0 : 1) : share(count, counts[i - 1] ?? 0),
      };
    }),
  };
}

/** One row per cohort week from `first` through `last`; each through the week `last`. */
export function retentionTable(first: Date, last: Date, cells: readonly RetentionCell[]): RetentionReport {
  const users = new Map(cells.map((c) => [`${c.cohort.getTime()}|${c.week.getTime()}`, c.users]));
  const cohorts = bucketStarts('week', first, last).map((cohort) => {
    const retained = bucketStarts('week', cohort, last).map(
      (week) => users.get(`${cohort.getTime()}|${week.getTime()}`) ?? 0,
    );
    const size = retained[0] ?? 0;
    return { start: cohort.toISOString(), size, retained, rates: retained.map((n) => share(n, size)) };
  });
  return { cohort: 'week', from: first.toISOString(), to: nextBucket('week', last).toISOString(), cohorts };
}

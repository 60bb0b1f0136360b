// The reports: active people per day, week or month; event counts per hour or day; funnels;
// weekly retention. Each resolves its range (UTC buckets, `to` inclusive, a default span when
// `from` is absent), asks the store, and fills in the buckets nobody was active in.
import type { ActiveUsersReport, EventCountsReport, FunnelReport, RetentionReport } from '@azora/contracts';
import type { ActivePeriod } from '../domain/ports';
import { filledSeries, funnelReport, retentionTable } from '../domain/report-shapes';
import { bucketRange, endOfBuckets, instantRange, type BucketLimits, type RangeInput } from '../domain/report-ranges';
import { HOUR_MS } from '../domain/time-buckets';
import type { AnalyticsContext } from './context';

const BUCKETS: Record<ActivePeriod | 'hour', BucketLimits> = {
  hour: { defaultBuckets: 48, maxBuckets: 24 * 92 },
  day: { defaultBuckets: 30, maxBuckets: 3 * 366 },
  week: { defaultBuckets: 12, maxBuckets: 3 * 53 },
  month: { defaultBuckets: 12, maxBuckets: 10 * 12 },
};
const RETENTION_WEEKS: BucketLimits = { defaultBuckets: 8, maxBuckets: 104 };
const FUNNEL_DAYS = { defaultDays: 30, maxDays: 366 };

export async function activeUsers(
  ctx: AnalyticsContext,
  query: RangeInput & { interval: ActivePeriod },
): Promise<ActiveUsersReport> {
  const { interval } = query;
  const { first, last } = bucketRange(interval, query, ctx.clock.now(), BUCKETS[interval]);
  const values = await ctx.store.activeUsers(interval, first, last);
  return {
    interval,
    from: first.toISOString(),
    to: endOfBuckets(interval, last).toISOString(),
    series: filledSeries(interval, first, last, values).map(({ start, value }) => ({ start, users: value })),
  };
}

export async function eventCounts(
  ctx: AnalyticsContext,
  query: RangeInput & { interval: 'hour' | 'day'; name?: string | undefined },
): Promise<EventCountsReport> {
  const { interval } = query;
  const { first, last } = bucketRange(interval, query, ctx.clock.now(), BUCKETS[interval]);
  const until = endOfBuckets(interval, last);
  const values = await ctx.store.eventCounts(query.name ?? null, interval, first, until);
  const series = filledSeries(interval, first, last, values).map(({ start, value }) => ({ start, count: value }));
  return {
    name: query.name ?? null,
    interval,
    from: first.toISOString(),
    to: until.toISOString(),
    total: series.reduce((sum, s) => sum + s.count, 0),
    series,
  };
}

export async function funnel(
  ctx: AnalyticsContext,
  request: RangeInput & { steps: readonly string[]; windowHours: number },
): Promise<FunnelReport> {
  const { from, until } = instantRange(request, ctx.clock.now(), { ...FUNNEL_DAYS, where: 'body' });
  const counts = await ctx.store.funnel(request.steps, request.windowHours * HOUR_MS, from, until);
  return funnelReport(request.steps, counts, { from, until, windowHours: request.windowHours });
}

export async function retention(ctx: AnalyticsContext, query: RangeInput): Promise<RetentionReport> {
  const { first, last } = bucketRange('week', query, ctx.clock.now(), RETENTION_WEEKS);
  return retentionTable(first, last, await ctx.store.retention(first, last));
}

// UTC buckets and report ranges: pure rules, no database.
import { DomainError } from '@azora/service-kit/errors';
import { bucketRange, instantRange } from '../src/domain/report-ranges';
import { bucketCount, bucketStart, bucketStarts, bucketTexts, dateKey } from '../src/domain/time-buckets';

const d = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe('UTC buckets', () => {
  it.each([
    ['hour', '2026-03-11T12:59:59.999Z', '2026-03-11T12:00:00.000Z'],
    ['day', '2026-03-11T23:59:59.999Z', '2026-03-11T00:00:00.000Z'],
    ['day', '2026-03-12T01:30:00+02:00', '2026-03-11T00:00:00.000Z'],
    ['week', '2026-03-15T23:59:59.999Z', '2026-03-09T00:00:00.000Z'],
    ['week', '2026-03-09T00:00:00.000Z', '2026-03-09T00:00:00.000Z'],
    ['week', '2027-01-01T12:00:00.000Z', '2026-12-28T00:00:00.000Z'],
    ['month', '2026-02-28T23:59:59.999Z', '2026-02-01T00:00:00.000Z'],
  ] as const)('When %s contains %s, then it starts at %s', (interval, at, start) => {
    expect(iso(bucketStart(interval, d(at)))).toBe(start);
  });

  it('When months are listed across a year end, then each starts on the 1st', () => {
    const months = bucketStarts('month', d('2026-11-01T00:00:00Z'), d('2027-02-01T00:00:00Z')).map(iso);

    expect(months).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
      '2027-02-01T00:00:00.000Z',
    ]);
    expect(bucketCount('month', d('2026-11-01T00:00:00Z'), d('2027-02-01T00:00:00Z'))).toBe(4);
  });

  it('When bucket texts are remembered, then each is the text of the bucket its instant falls in', () => {
    const hourOf = bucketTexts('hour');
    const dayOf = bucketTexts('day');
    for (const at of ['1969-12-31T23:30:00.000Z', '2026-03-11T00:00:00.000Z', '2026-03-11T23:59:59.999Z']) {
      for (let k = 0; k < 2; k++) {
        expect(hourOf(d(at))).toBe(iso(bucketStart('hour', d(at))));
        expect(dayOf(d(at))).toBe(dateKey(bucketStart('day', d(at))));
      }
    }
  });
});

describe('report ranges', () => {
  const now = d('2026-03-11T12:00:00.000Z');
  const limits = { defaultBuckets: 30, maxBuckets: 100 };

  it('When `to` is a date, then its whole day is included', () => {
    const range = bucketRange('hour', { from: '2026-03-10', to: '2026-03-10' }, now, { ...limits, maxBuckets: 24 });

    expect([iso(range.first), iso(range.last)]).toEqual(['2026-03-10T00:00:00.000Z', '2026-03-10T23:00:00.000Z']);
  });

  it('When `from` is absent, then the default number of buckets ends with the one containing `to`', () => {
    const range = bucketRange('day', {}, now, limits);

    expect([iso(range.first), iso(range.last)]).toEqual(['2026-02-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z']);
  });

  it('When `from` is after `to`, or the range holds too many buckets, then analytics.invalid_range', () => {
    const reversed = () => bucketRange('day', { from: '2026-03-12', to: '2026-03-11' }, now, limits);
    const long = () => bucketRange('day', { from: '2025-01-01' }, now, limits);

    expect(reversed).toThrow(DomainError);
    expect(reversed).toThrow(/query.from: must not be after/);
    expect(long).toThrow(/at most 100 days/);
  });

  it('When instants are asked, then `to` is inclusive: a date to its last millisecond, a time to itself', () => {
    const days = instantRange({ from: '2026-03-01', to: '2026-03-02' }, now, {
      defaultDays: 1,
      maxDays: 10,
      where: 'body',
    });
    const times = instantRange({ from: '2026-03-01T10:00:00Z', to: '2026-03-01T11:00:00Z' }, now, {
      defaultDays: 1,
      maxDays: 10,
      where: 'body',
    });

    expect([iso(days.from), iso(days.until)]).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    expect([iso(times.from), iso(times.until)]).toEqual(['2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.001Z']);
  });
});

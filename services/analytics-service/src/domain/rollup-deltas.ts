// Changes to the roll-up counters of one roll-up (many batches), summed per key before they are
// written, so each counter row is written once, and a change that cancels out not at all.
import type { ActivePeriod } from './ports';
import { bucketTexts } from './time-buckets';

class Sums {
  private readonly values = new Map<string, number>();

  add(key: string, delta: number): void {
    this.values.set(key, (this.values.get(key) ?? 0) + delta);
  }

  /** Non-zero sums in key order, each key split back into its two parts. */
  entries(): Array<[string, string, number]> {
    return [...this.values.entries()]
      .filter(([, value]) => value !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => {
        const cut = key.indexOf('|');
        return [key.slice(0, cut), key.slice(cut + 1), value];
      });
  }
}

export class RollupDeltas {
  private readonly events = new Sums();
  private readonly active = new Sums();
  private readonly retention = new Sums();
  private readonly hourOf = bucketTexts('hour');

  /** One more event of `name` in the hour of `at`. */
  event(name: string, at: Date): void {
    // The hour first: names may hold any character but the hour's ISO text never holds "|".
    this.events.add(`${this.hourOf(at)}|${name}`, 1);
  }

  activity(period: ActivePeriod, bucket: string, delta: number): void {
    this.active.add(`${period}|${bucket}`, delta);
  }

  retained(cohort: string, week: string, delta: number): void {
    this.retention.add(`${cohort}|${week}`, delta);
  }

  /** Per (hour, name): events stored. */
  eventCounts(): Array<{ hour: string; name: string; events: number }> {
    return this.events.entries().map(([hour, name, events]) => ({ hour, name, events }));
  }

  activeCounts(): Array<{ period: ActivePeriod; bucket: string; users: number }> {
    return this.active.entries().map(([period, bucket, users]) => ({ period: period as ActivePeriod, bucket, users }));
  }

  retentionCounts(): Array<{ cohort: string; week: string; users: number }> {
    return this.retention.entries().map(([cohort, week, users]) => ({ cohort, week, users }));
  }
}

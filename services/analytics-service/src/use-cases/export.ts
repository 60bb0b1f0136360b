// The export of raw events as NDJSON: the range is checked before anything is sent, then the
// lines are produced page by page as the reader takes them, never the whole range at once.
import type { ExportedEvent } from '@azora/contracts';
import type { StoredEvent } from '../domain/ports';
import { instantRange, type RangeInput } from '../domain/report-ranges';
import type { AnalyticsContext } from './context';

export interface PreparedExport {
  readonly from: Date;
  readonly until: Date;
  /** Chunks of NDJSON text, one page of events each. */
  readonly chunks: AsyncIterable<string>;
}

function exported(event: StoredEvent): ExportedEvent {
  return {
    id: event.id,
    name: event.name,
    timestamp: event.timestamp.toISOString(),
    source: event.source,
    userId: event.userId,
    anonymousId: event.anonymousId,
    personId: event.personId,
    properties: { ...event.properties },
    receivedAt: event.receivedAt.toISOString(),
  };
}

export function prepareExport(
  ctx: AnalyticsContext,
  query: RangeInput & { name?: string | undefined },
): PreparedExport {
  const { from, until } = instantRange(query, ctx.clock.now(), {
    defaultDays: 1,
    maxDays: ctx.settings.rawRetentionDays + 7,
    where: 'query',
  });
  const pages = ctx.store.exportEvents({ from, until, name: query.name ?? null });
  async function* chunks(): AsyncGenerator<string> {
    for await (const page of pages) yield page.map((event) => `${JSON.stringify(exported(event))}\n`).join('');
  }
  return { from, until, chunks: chunks() };
}

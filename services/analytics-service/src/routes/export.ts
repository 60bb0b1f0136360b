// HTTP for the export: GET /events/export streams raw events as NDJSON, writing each page as
// the client reads (back-pressure respected), and stops when the client goes away.
import { once } from 'node:events';
import { EXPORT_CONTENT_TYPE, ExportedEvent, ExportQuery } from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { AnalyticsContext } from '../use-cases/context';
import { prepareExport } from '../use-cases/export';
import { READERS } from './reports';

export function exportRoutes(api: Api, ctx: AnalyticsContext, stopping: AbortSignal): void {
  api.endpoint(
    {
      method: 'get',
      path: '/events/export',
      summary: 'Export raw events as NDJSON',
      description:
        'Every raw event from `from` through `to` (a date means that whole UTC day), of `name` when given, oldest first, one JSON object per line (`ExportedEvent` of the contracts), streamed. Events older than the retention setting are no longer kept.',
      tags: ['export'],
      access: READERS,
      query: ExportQuery,
      responses: {
        200: { contentType: EXPORT_CONTENT_TYPE, schema: ExportedEvent, description: 'One ExportedEvent per line' },
      },
    },
    async ({ query }, _req, res) => {
      const prepared = prepareExport(ctx, query);
      const stamp = (d: Date) => d.toISOString().replace(/[:.]/g, '-');
      res.status(200);
      res.setHeader('content-type', `${EXPORT_CONTENT_TYPE}; charset=utf-8`);
      res.setHeader(
        'content-disposition',
        `attachment; filename="events-${stamp(prepared.from)}-${stamp(prepared.until)}.ndjson"`,
      );
      res.flushHeaders();
      // The client hung up, or the process is stopping: no more pages are read.
      const ended = new Promise<void>((resolve) => {
        res.once('close', () => resolve());
        stopping.addEventListener('abort', () => resolve(), { once: true });
      });
      const over = () => res.destroyed || stopping.aborted;
      try {
        for await (const chunk of prepared.chunks) {
          if (over()) break;
          if (!res.write(chunk)) await Promise.race([once(res, 'drain'), ended]);
        }
        if (stopping.aborted) res.destroy();
        else res.end();
      } catch (error) {
        // The status line is sent: the only way left to say "incomplete" is to cut the stream.
        ctx.logger.error({ err: error }, 'export failed part-way; the response is cut short');
        res.destroy(error as Error);
      }
    },
  );
}

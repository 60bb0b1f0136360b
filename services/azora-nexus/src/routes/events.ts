// POST /events appends a batch to the log; GET /events replays it after a seq.
import type { RequestHandler, Router } from 'express';
import { ReplayQuery, type ReplayResponse } from '@azora/contracts';
import { parseInput, type Pool } from '@azora/service-kit';
import { appendEvents, readEvents } from '../db/events';
import { KnownPublishRequest, assertPublishedBy, publishResponse, recordPublished } from '../domain/publish';
import type { NexusMetrics } from '../metrics';
import { callerOf } from './auth';

export function eventRoutes(
  router: Router,
  { pool, metrics, auth }: { pool: Pool; metrics: NexusMetrics; auth: RequestHandler },
): void {
  router.post('/events', auth, async (req, res) => {
    const caller = callerOf(req);
    const { events } = parseInput(KnownPublishRequest, req.body, 'body');
    assertPublishedBy(caller, events);
    const appended = await appendEvents(pool, events);
    recordPublished(metrics, events, appended, Date.now());
    res.json(publishResponse(appended));
  });

  router.get('/events', auth, async (req, res) => {
    const { after, types, limit } = parseInput(ReplayQuery, req.query, 'query');
    const events = await readEvents(pool, { after, types, limit });
    const body: ReplayResponse = { events, next: events[events.length - 1]?.seq ?? null };
    res.json(body);
  });
}

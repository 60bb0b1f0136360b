// HTTP for tracking: POST /track takes a batch of up to 1,000 events from anyone (the user is
// the token's, when one is sent) and answers 202 once the batch is stored.
import { EventTimestamp, trackRequestWith, TrackResult } from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { Express } from 'express';
import { z } from 'zod';
import { timestampProblem } from '../domain/settings';
import type { AnalyticsContext } from '../use-cases/context';
import { trackBatch } from '../use-cases/track';
import { acceptedTrackBody } from './track-body';

type Bounds = Pick<AnalyticsContext, 'settings' | 'clock'>;

/** The contract's request, with each timestamp checked against the service's clock. */
function trackRequest(ctx: Bounds) {
  return trackRequestWith(
    EventTimestamp.superRefine((value, issue) => {
      const problem = timestampProblem(ctx.settings, new Date(value), ctx.clock.now());
      if (problem) issue.addIssue({ code: 'custom', message: problem });
    }),
  );
}

/**
 * The body the route declares: the contract's request in the OpenAPI document, parsed by the fast
 * check of track-body.ts when it accepts the batch, and by the contract's schema otherwise (so a
 * refused batch gets the contract's issues, each event named by index).
 */
export function trackBody(ctx: Bounds) {
  const contract = trackRequest(ctx);
  const { $schema: _dialect, ...documented } = z.toJSONSchema(contract, { io: 'input', unrepresentable: 'any' });
  return z
    .unknown()
    .transform((body, parsing) => {
      const now = ctx.clock.now();
      const events = acceptedTrackBody(body, (at) => timestampProblem(ctx.settings, new Date(at), now));
      if (events) return { events };
      const parsed = contract.safeParse(body);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) parsing.addIssue(issue as Parameters<typeof parsing.addIssue>[0]);
      return z.NEVER;
    })
    .meta(documented);
}

export function trackRoutes(api: Api, ctx: AnalyticsContext): void {
  api.endpoint(
    {
      method: 'post',
      path: '/track',
      summary: 'Track a batch of events',
      description:
        'One to 1,000 events, accepted or refused whole: a 400 lists every bad event by index (`body.events.3.name`) with the reason. The user is the signed-in caller (optional); without one, every event needs an `anonymousId`. The first event carrying both an `anonymousId` and a user links that visitor to the user. An event sent again with the same `id` and `timestamp` is not stored twice.',
      tags: ['tracking'],
      access: 'public',
      body: trackBody(ctx),
      responses: { 202: TrackResult },
    },
    async ({ body }, req, res) => {
      res.status(202).json(await trackBatch(ctx, { userId: req.user?.id ?? null }, body.events));
    },
  );
}

/** Counts refused batches, including those refused before any route runs (413 from the body parser). */
export function countRejectedBatches(app: Express, ctx: AnalyticsContext): void {
  app.use('/track', (req, res, next) => {
    if (req.method === 'POST')
      res.on('finish', () => {
        if (res.statusCode === 400) ctx.metrics.batchesRejected.inc({ reason: 'invalid' });
        else if (res.statusCode === 413) ctx.metrics.batchesRejected.inc({ reason: 'too_large' });
      });
    next();
  });
}

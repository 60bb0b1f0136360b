// HTTP for the reports: active people, event counts, funnels and retention, for admins and for
// users an admin granted analytics:read (see the README).
import {
  ActiveUsersQuery,
  ActiveUsersReport,
  EventCountsQuery,
  EventCountsReport,
  FunnelReport,
  FunnelRequest,
  RetentionQuery,
  RetentionReport,
} from '@azora/contracts';
import type { Api, Permission } from '@azora/service-kit';
import type { AnalyticsContext } from '../use-cases/context';
import { activeUsers, eventCounts, funnel, retention } from '../use-cases/reports';

/** Who may read reports and exports: admins, and users granted analytics:read at the gateway. */
export const READERS: readonly Permission[] = ['admin', 'analytics:read'];
const tags = ['reports'];

export function reportRoutes(api: Api, ctx: AnalyticsContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/active-users',
      summary: 'Active people per day, week or month (DAU, WAU, MAU)',
      description:
        'Distinct people with at least one event in each UTC day, ISO week (from Monday) or calendar month, from the bucket containing `from` through the one containing `to` (default: now; without `from`, the last 30 days, 12 weeks or 12 months). A visitor who later signed in counts once, as the user.',
      tags,
      access: READERS,
      query: ActiveUsersQuery,
      responses: { 200: ActiveUsersReport },
    },
    async ({ query }, _req, res) => {
      res.json(await activeUsers(ctx, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/events/counts',
      summary: 'Events per hour or day',
      description:
        'Events of `name` (every event without it) per UTC hour or day, from the bucket containing `from` through the one containing `to` (default: the last 48 hours, or 30 days).',
      tags,
      access: READERS,
      query: EventCountsQuery,
      responses: { 200: EventCountsReport },
    },
    async ({ query }, _req, res) => {
      res.json(await eventCounts(ctx, query));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/funnels',
      summary: 'Conversion through ordered steps',
      description:
        "A person enters with their first step-one event between `from` and `to` (default: the last 30 days); each later step counts with the person's first event of that name after the step before, at most `windowHours` after entering. Counts and rates per step.",
      tags,
      access: READERS,
      body: FunnelRequest,
      responses: { 200: FunnelReport },
    },
    async ({ body }, _req, res) => {
      res.json(await funnel(ctx, body));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/retention',
      summary: 'Weekly retention by first-seen cohort',
      description:
        'One row per ISO week people were first seen in, from the week containing `from` through the one containing `to` (default: the last 8 weeks): its size and how many of its people were active in each following week through `to`.',
      tags,
      access: READERS,
      query: RetentionQuery,
      responses: { 200: RetentionReport },
    },
    async ({ query }, _req, res) => {
      res.json(await retention(ctx, query));
    },
  );
}

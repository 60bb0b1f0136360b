// HTTP for the platform's status: each service's row (at /status, and at /api/services/status
// where operators' scripts already look), the uptime strips, incidents and the bus's health.
// Public, as a status page is: nothing here names an address of the database, a user or an event.
import {
  BusHealth,
  IncidentListQuery,
  IncidentPage,
  ServiceStatusList,
  UptimeQuery,
  UptimeReport,
} from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { MonitoringContext } from '../use-cases/context';
import { incidents, serviceStatuses, uptimeReport } from '../use-cases/history';

const tags = ['monitoring'];

export function statusRoutes(api: Api, ctx: MonitoringContext): void {
  for (const path of ['/status', '/api/services/status']) {
    api.endpoint(
      {
        method: 'get',
        path,
        summary: 'Every service with its status',
        description:
          "One row per service of the catalog: `healthy`, `degraded` (ready but slow, or failing now and then) or `unhealthy` (not ready several checks in a row), the last check's latency, the version from its /health and its uptime over the last 24 hours.",
        tags,
        access: 'public',
        responses: { 200: ServiceStatusList },
      },
      async (_input, _req, res) => {
        res.setHeader('cache-control', 'no-store');
        res.json(await serviceStatuses(ctx));
      },
    );
  }

  api.endpoint(
    {
      method: 'get',
      path: '/uptime',
      summary: 'Hourly uptime of every service',
      description: 'One bucket per hour from `hours` ago (default 24) to the current hour.',
      tags,
      access: 'public',
      query: UptimeQuery,
      responses: { 200: UptimeReport },
    },
    async ({ query }, _req, res) => {
      res.json(await uptimeReport(ctx, query.hours));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/incidents',
      summary: 'Incidents: times a service was down',
      description: 'Newest first; filter by `service` and `state` (open or resolved); page with `cursor`.',
      tags,
      access: 'public',
      query: IncidentListQuery,
      responses: { 200: IncidentPage },
    },
    async ({ query }, _req, res) => {
      res.json(await incidents(ctx, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/bus',
      summary: "The event bus's health",
      description:
        "Each publisher's outbox (pending events, the oldest one's age), each subscription's backlog and the dead letters not delivered since, as last collected.",
      tags,
      access: 'public',
      responses: { 200: BusHealth },
    },
    (_input, _req, res) => {
      res.json(ctx.bus.get());
    },
  );
}

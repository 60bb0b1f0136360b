// analytics: event tracking and the reports, under /api/analytics. Tracking is open to anyone
// (signed in or with an anonymousId); the reports are for admins.
import type * as C from '@azora/contracts';
import { type Input, type Output } from '../contract-types';
import { type RequestOptions, type Transport } from '../transport';

const BASE = '/api/analytics';

export function createAnalyticsApi(transport: Transport) {
  return {
    /**
     * POST /track {events} (1 to 1,000) → 202: stored, or refused whole with a 400 naming each bad event by index.
     * A resent event (same id and timestamp) is not stored twice: give each event an `id` (crypto.randomUUID()).
     */
    track(body: Input<typeof C.TrackRequest>, options?: RequestOptions): Promise<Output<typeof C.TrackResult>> {
      return transport.call({ method: 'POST', path: `${BASE}/track`, body }, options);
    },

    /** GET /active-users?interval=day|week|month&from=&to=: distinct people per UTC bucket (DAU/WAU/MAU). */
    activeUsers(
      query?: Input<typeof C.ActiveUsersQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.ActiveUsersReport>> {
      return transport.call({ method: 'GET', path: `${BASE}/active-users`, query }, options);
    },

    /** GET /events/counts?name=&interval=hour|day&from=&to=: events per UTC hour or day. */
    eventCounts(
      query?: Input<typeof C.EventCountsQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.EventCountsReport>> {
      return transport.call({ method: 'GET', path: `${BASE}/events/counts`, query }, options);
    },

    /** POST /funnels {steps, windowHours, from?, to?}: people reaching each step in order, with rates. */
    funnel(body: Input<typeof C.FunnelRequest>, options?: RequestOptions): Promise<Output<typeof C.FunnelReport>> {
      return transport.call({ method: 'POST', path: `${BASE}/funnels`, body }, options);
    },

    /** GET /retention?cohort=week&from=&to=: weekly cohorts by first-seen week and who came back. */
    retention(
      query?: Input<typeof C.RetentionQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.RetentionReport>> {
      return transport.call({ method: 'GET', path: `${BASE}/retention`, query }, options);
    },
  };
}

export type AnalyticsApi = ReturnType<typeof createAnalyticsApi>;

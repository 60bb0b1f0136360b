// analytics: event tracking and the reports, under /api/analytics. Typed once its contract
// lands in @azora/contracts (see pending-contracts.ts).
import { type PendingQuery, type PendingRequest, type PendingResponse } from '../pending-contracts';
import { type RequestOptions, type Transport } from '../transport';

const BASE = '/api/analytics';

export function createAnalyticsApi(transport: Transport) {
  return {
    /** POST /track {events: [{name, properties, timestamp, anonymousId?}]} (at most 1000) → 202. */
    track(
      body: PendingRequest<'POST /api/analytics/track'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'POST /api/analytics/track'>> {
      return transport.call({ method: 'POST', path: `${BASE}/track`, body }, options);
    },

    /** GET /active-users?interval=day|week|month&from=&to=. */
    activeUsers(
      query: PendingQuery<'GET /api/analytics/active-users'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'GET /api/analytics/active-users'>> {
      return transport.call({ method: 'GET', path: `${BASE}/active-users`, query }, options);
    },

    /** GET /events/counts?name=&interval=hour|day&from=&to=. */
    eventCounts(
      query: PendingQuery<'GET /api/analytics/events/counts'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'GET /api/analytics/events/counts'>> {
      return transport.call({ method: 'GET', path: `${BASE}/events/counts`, query }, options);
    },

    /** POST /funnels {steps[], windowHours}. */
    funnel(
      body: PendingRequest<'POST /api/analytics/funnels'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'POST /api/analytics/funnels'>> {
      return transport.call({ method: 'POST', path: `${BASE}/funnels`, body }, options);
    },

    /** GET /retention?cohort=week. */
    retention(
      query?: PendingQuery<'GET /api/analytics/retention'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'GET /api/analytics/retention'>> {
      return transport.call({ method: 'GET', path: `${BASE}/retention`, query }, options);
    },
  };
}

export type AnalyticsApi = ReturnType<typeof createAnalyticsApi>;

// monitoring: the platform's status, under /api/monitoring (typed once its contract lands in
// @azora/contracts, see pending-contracts.ts), and the gateway's own view of its upstreams.
import type * as C from '@azora/contracts';
import { type Output } from '../contract-types';
import { type PendingResponse } from '../pending-contracts';
import { type RequestOptions, type Transport } from '../transport';

export function createMonitoringApi(transport: Transport) {
  return {
    /** GET /api/monitoring/status: one row per service {name, status: up|down|degraded, latencyMs, checkedAt, version}. */
    status(options?: RequestOptions): Promise<PendingResponse<'GET /api/monitoring/status'>> {
      return transport.call({ method: 'GET', path: '/api/monitoring/status' }, options);
    },

    /** GET /api/health: every upstream's readiness and circuit breaker as the gateway sees it. */
    gatewayHealth(options?: RequestOptions): Promise<Output<typeof C.GatewayHealth>> {
      return transport.call({ method: 'GET', path: '/api/health' }, options);
    },
  };
}

export type MonitoringApi = ReturnType<typeof createMonitoringApi>;

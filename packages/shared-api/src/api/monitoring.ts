// monitoring: the platform's status under /api/monitoring (each service's health with its
// 24-hour uptime, the hourly strips, incidents and the bus), typed from the Monitoring contracts,
// and the gateway's own view of its upstreams.
import type * as C from '@azora/contracts';
import { type Input, type Output } from '../contract-types';
import { type RequestOptions, type Transport } from '../transport';

const BASE = '/api/monitoring';

export function createMonitoringApi(transport: Transport) {
  return {
    /** GET /status: one row per service {name, url, status: healthy|degraded|unhealthy, latencyMs, checkedAt, version, uptimePercent24h, …}. */
    status(options?: RequestOptions): Promise<Output<typeof C.ServiceStatusList>> {
      return transport.call({ method: 'GET', path: `${BASE}/status` }, options);
    },

    /** GET /uptime?hours=: hourly uptime buckets of every service, for status strips. */
    uptime(query?: Input<typeof C.UptimeQuery>, options?: RequestOptions): Promise<Output<typeof C.UptimeReport>> {
      return transport.call({ method: 'GET', path: `${BASE}/uptime`, query }, options);
    },

    /** GET /incidents?service=&state=open|resolved&cursor=&limit=: times a service was down, newest first. */
    incidents(
      query?: Input<typeof C.IncidentListQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.IncidentPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/incidents`, query }, options);
    },

    /** GET /bus: outbox lag per publisher, backlog per subscription, dead letters (counts only). */
    bus(options?: RequestOptions): Promise<Output<typeof C.BusHealth>> {
      return transport.call({ method: 'GET', path: `${BASE}/bus` }, options);
    },

    /** GET /api/health: every upstream's readiness and circuit breaker as the gateway sees it. */
    gatewayHealth(options?: RequestOptions): Promise<Output<typeof C.GatewayHealth>> {
      return transport.call({ method: 'GET', path: '/api/health' }, options);
    },
  };
}

export type MonitoringApi = ReturnType<typeof createMonitoringApi>;

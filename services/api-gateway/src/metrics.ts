// The gateway's own metrics, beside the request durations every service records.
import type { Metrics } from '@azora/service-kit';
import type { BreakerState } from './domain/circuit-breaker';

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export function gatewayMetrics(metrics: Metrics) {
  const breakerState = metrics.gauge(
    'gateway_breaker_state',
    'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open',
    ['upstream'],
  );
  return {
    proxyRequests: metrics.counter(
      'gateway_proxy_requests_total',
      'Requests proxied to a service, by upstream and response status',
      ['upstream', 'status_code'],
    ),
    upstreamLatency: metrics.histogram(
      'gateway_upstream_latency_seconds',
      'Time from forwarding a request to the service answering with its status and headers',
      ['upstream'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    ),
    stalledRequests: metrics.counter(
      'gateway_stalled_requests_total',
      'Proxied requests answered 408 because the client did not send its body in time, by upstream',
      ['upstream'],
    ),
    writesRateLimited: metrics.counter(
      'gateway_rate_limited_writes_total',
      'Proxied writes refused with 429 by the per-caller write limit, by upstream',
      ['upstream'],
    ),
    setBreakerState(upstream: string, state: BreakerState) {
      breakerState.set({ upstream }, BREAKER_VALUE[state]);
    },
    logins: metrics.counter('auth_logins_total', 'Login attempts by outcome', ['outcome']),
    rateLimited: metrics.counter(
      'auth_rate_limited_total',
      'Requests refused by the login and registration rate limits',
      ['route'],
    ),
  };
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;

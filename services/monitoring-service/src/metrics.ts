// Monitoring's metrics, next to the kit's HTTP metrics: each service's health as a number (what
// the platform's checks and alerts read), the last probe's latency, probes by result and
// incidents opened. Registered once per registry, so the app and the loop share them.
import type { Metrics } from '@azora/service-kit';

function register(metrics: Metrics) {
  return {
    healthStatus: metrics.gauge(
      'service_health_status',
      'Health of each service as monitoring last found it: 1 healthy, 0.5 degraded, 0 unhealthy',
      ['service'] as const,
    ),
    probeLatency: metrics.gauge(
      'service_probe_latency_seconds',
      "Time the last probe of each service's /ready took to answer (or to give up)",
      ['service'] as const,
    ),
    probes: metrics.counter('monitoring_probes_total', "Probes of each service's /ready, by result", [
      'service',
      'result',
    ] as const),
    incidents: metrics.counter('monitoring_incidents_opened_total', 'Incidents opened: a service found down', [
      'service',
    ] as const),
  };
}
export type MonitoringMetrics = ReturnType<typeof register>;

const registered = new WeakMap<Metrics['registry'], MonitoringMetrics>();

export function monitoringMetrics(metrics: Metrics): MonitoringMetrics {
  let found = registered.get(metrics.registry);
  if (!found) {
    found = register(metrics);
    registered.set(metrics.registry, found);
  }
  return found;
}

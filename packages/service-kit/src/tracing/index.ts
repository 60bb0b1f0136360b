// `@azora/service-kit/tracing`: imported first by each service's server.ts (or given to node as
// `--require @azora/service-kit/tracing`). When OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, it starts OpenTelemetry before express, pg and the
// HTTP client are loaded, so their spans are recorded; otherwise it loads nothing at all.
import path from 'node:path';
import type * as Start from './start';

/** The service's catalog name: OTEL_SERVICE_NAME, else the services/<name>/ its entry runs from. */
export function tracedServiceName(env: NodeJS.ProcessEnv = process.env, entry = require.main?.filename): string {
  if (env['OTEL_SERVICE_NAME']) return env['OTEL_SERVICE_NAME'];
  const parts = (entry ?? '').split(path.sep);
  const at = parts.lastIndexOf('services');
  return at >= 0 && parts[at + 1] ? parts[at + 1]! : 'azora-service';
}

export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  return Boolean(endpoint) && env['OTEL_SDK_DISABLED'] !== 'true' && env['OTEL_TRACES_EXPORTER'] !== 'none';
}

if (tracingWanted()) {
  // A require here, not an import: without an endpoint, OpenTelemetry is never loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./start') as typeof Start).startTracing({ serviceName: tracedServiceName() });
}

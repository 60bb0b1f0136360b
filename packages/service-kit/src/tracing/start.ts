// Starting OpenTelemetry: a tracer provider exporting OTLP/HTTP (JSON) to
// OTEL_EXPORTER_OTLP_ENDPOINT in batches, W3C trace context, and the instrumentations of
// node:http (incoming and outgoing, so the context crosses the gateway and every service call),
// express and pg. Health probes and scrapes are not traced; pg spans only inside a traced
// request or event, so the relay's polling makes none. The OTEL_* variables of the SDK apply
// (OTEL_TRACES_SAMPLER, OTEL_BSP_SCHEDULE_DELAY, ...).
import {
  context,
  propagation,
  trace,
  ROOT_CONTEXT,
  SpanKind as OtelSpanKind,
  SpanStatusCode,
  type Context,
  type Link,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { installTraceBridge, type SpanKind, type TraceBridge } from './bridge';

const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);
const KINDS: Record<SpanKind, OtelSpanKind> = {
  internal: OtelSpanKind.INTERNAL,
  producer: OtelSpanKind.PRODUCER,
  consumer: OtelSpanKind.CONSUMER,
};

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0] ?? '';

function contextOf(traceparent: string | undefined): Context | undefined {
  if (!traceparent) return undefined;
  const extracted = propagation.extract(ROOT_CONTEXT, { traceparent });
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

export function startTracing({ serviceName }: { serviceName: string }): TraceBridge {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.namespace': 'azora' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has(pathOf(req.url)),
        ignoreOutgoingRequestHook: (options) => UNTRACED_PATHS.has(pathOf(options.path ?? undefined)),
      }),
      new ExpressInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  const tracer = trace.getTracer('@azora/service-kit');

  const bridge: TraceBridge = {
    current() {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      return carrier['traceparent'];
    },
    inSpan(name, options, work) {
      const parent = contextOf(options.parent) ?? context.active();
      const links: Link[] = (options.links ?? []).flatMap((traceparent) => {
        const linked = trace.getSpanContext(contextOf(traceparent) ?? ROOT_CONTEXT);
        return linked ? [{ context: linked }] : [];
      });
      return tracer.startActiveSpan(
        name,
        { kind: KINDS[options.kind], links, ...(options.attributes ? { attributes: options.attributes } : {}) },
        parent,
        async (span) => {
          try {
            return await work();
          } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    },
    flush: () => provider.forceFlush(),
  };
  installTraceBridge(bridge);
  return bridge;
}
